import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readDataset, type LabelledExample } from '../../../src/classifiers/dataset.js';
import { packageRoot } from '../../../src/classifiers/model-registry.js';
import { readdirSync } from 'node:fs';
import { dev, devDataset, repoFramework } from './helpers.js';

// Checks every corpus we ship (training texts, the holdout) must pass: each line a real, attributable,
// openly licensed text, labelled with the framework's ids, and never a copy of a dev-set article.
// Open licences met so far: US public domain, CC BY (EU institutions, Ukrainian and Russian official sites),
// the UK and Canadian Open Government Licences, France's Licence Ouverte / Etalab, and the European
// Commission's reuse notice (Decision 2011/833/EU).
const OPEN_LICENCE = /public domain|CC BY|Open Government Licence|Licence Ouverte|Open Licence|Etalab|2011\/833\/EU|reuse/i;
/** Languages a corpus line may declare (the framework's languages). */
export const CORPUS_LANGUAGES = ['en', 'uk', 'ru', 'de', 'fr'];

/** Every `*.jsonl` of `data/<split>/`, sorted. */
export function corpusFiles(split: 'training' | 'holdout'): string[] {
  const dir = join(packageRoot(), 'data', split);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(dir, f));
}

/** Every line of `data/<split>/*.jsonl`, with the file it came from. */
export function readCorpus(split: 'training' | 'holdout'): (LabelledExample & { file: string })[] {
  return corpusFiles(split).flatMap((file) => readDataset(file).map((e) => ({ ...e, file })));
}

/** Runs of eight words, lower-cased: long enough that only copied text shares them. */
function shingles(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const out = new Set<string>();
  for (let i = 0; i + 8 <= words.length; i++) out.add(words.slice(i, i + 8).join(' '));
  return out;
}

/**
 * Pairs of texts of which one is mostly a copy of the other: more than `share` of the shorter text's
 * eight-word runs appear in the longer. Legal acts that amend one another share their preambles (up to about
 * half their runs), so the default leaves them be and catches a second transcript of one speech.
 */
export function nearCopies(texts: readonly { id: string; text: string }[], share = 0.6): { a: string; b: string; share: number }[] {
  const sets = texts.map((t) => shingles(t.text));
  const holders = new Map<string, number[]>();
  sets.forEach((set, i) => {
    for (const s of set) {
      const list = holders.get(s);
      if (list) list.push(i);
      else holders.set(s, [i]);
    }
  });
  const shared = new Map<string, number>();
  for (const list of holders.values()) {
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const key = `${list[x]} ${list[y]}`;
        shared.set(key, (shared.get(key) ?? 0) + 1);
      }
    }
  }
  const out: { a: string; b: string; share: number }[] = [];
  for (const [key, n] of shared) {
    const [i, j] = key.split(' ').map(Number) as [number, number];
    const ratio = n / Math.max(1, Math.min(sets[i]?.size ?? 0, sets[j]?.size ?? 0));
    if (ratio > share) out.push({ a: texts[i]?.id ?? '', b: texts[j]?.id ?? '', share: Math.round(ratio * 100) / 100 });
  }
  return out;
}

/** Eighty-character windows of a text past its first 150 characters (a republisher's opening line is shared). */
export function passageWindows(text: string): string[] {
  return [150, 300, 450].map((at) => text.slice(at, at + 80)).filter((w) => w.length === 80);
}

export function expectAttributed(corpus: readonly LabelledExample[]): void {
  for (const example of corpus) {
    expect(example.source, example.id).toMatch(/^https?:\/\//);
    expect(example.license, example.id).toMatch(OPEN_LICENCE);
  }
}

export function expectFrameworkLabelsAndExcerptLengths(corpus: readonly LabelledExample[]): void {
  const known = new Set(repoFramework().labels.map((l) => l.id));
  for (const example of corpus) {
    for (const l of example.labels) expect(known.has(l), `${example.id}: ${l}`).toBe(true);
    expect(example.text.length, example.id).toBeGreaterThanOrEqual(300);
    expect(example.text.length, example.id).toBeLessThanOrEqual(2500);
  }
}

export function expectLanguages(corpus: readonly (LabelledExample & { file: string })[]): void {
  for (const example of corpus) {
    // The English corpora that predate languages carry none; every newer file names each line's language.
    if (example.lang === undefined) expect(example.file, example.id).toMatch(/public-texts\.jsonl$/);
    else expect(CORPUS_LANGUAGES, example.id).toContain(example.lang);
  }
}

export function expectUniqueAndDisjointFromDev(corpus: readonly LabelledExample[]): void {
  const dev = readDataset(devDataset);
  const ids = corpus.map((c) => c.id);
  expect(new Set(ids).size).toBe(ids.length);
  // A translation names its original's source: only native texts must have a source of their own.
  const sources = corpus.filter((c) => c.translatedFrom === undefined).map((c) => c.source);
  expect(new Set(sources).size).toBe(sources.length);
  const devIds = new Set(dev.map((d) => d.id));
  const devSources = new Set(dev.map((d) => d.source));
  // An 80-character window of a dev text appearing in another text means the same passage. The windows
  // start past the first 150 characters because a republisher's opening line ("Washington, DC (STL.News)
  // The US Department of State released …") is shared by unrelated releases.
  const devWindows = new Set(dev.flatMap((d) => passageWindows(d.text)));
  for (const example of corpus) {
    expect(devIds.has(example.id), example.id).toBe(false);
    expect(devSources.has(example.source), example.id).toBe(false);
    for (const w of devWindows) expect(example.text.includes(w), `${example.id} repeats dev text "${w}"`).toBe(false);
  }
}

/** The line checks every shipped corpus gets, as tests of the calling `describe`. */
export function itPassesCorpusLineChecks(corpus: readonly (LabelledExample & { file: string })[]): void {
  it('names a source URL and an open licence on every line', () => {
    expectAttributed(corpus);
  });
  it('uses only framework label ids, and texts of excerpt length', () => {
    expectFrameworkLabelsAndExcerptLengths(corpus);
  });
  it('names a framework language on every line of a per-language file', () => {
    expectLanguages(corpus);
  });
  it.skipIf(!dev.present)('has unique ids and native sources, none shared with the dev set, and no dev-set text', () => {
    expectUniqueAndDisjointFromDev(corpus);
  });
}
