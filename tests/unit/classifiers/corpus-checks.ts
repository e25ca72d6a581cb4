import { expect, it } from 'vitest';
import { readDataset, type LabelledExample } from '../../../src/classifiers/dataset.js';
import { dev, devDataset, repoFramework } from './helpers.js';

// Checks every corpus we ship (training texts, the holdout) must pass: each line a real, attributable,
// openly licensed text, labelled with the framework's ids, and never a copy of a dev-set article.
const OPEN_LICENCE = /public domain|CC BY|Open Government Licence/i;

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

export function expectUniqueAndDisjointFromDev(corpus: readonly LabelledExample[]): void {
  const dev = readDataset(devDataset);
  const ids = corpus.map((c) => c.id);
  expect(new Set(ids).size).toBe(ids.length);
  const sources = corpus.map((c) => c.source);
  expect(new Set(sources).size).toBe(sources.length);
  const devIds = new Set(dev.map((d) => d.id));
  const devSources = new Set(dev.map((d) => d.source));
  // An 80-character window of a dev text appearing in another text means the same passage. The windows
  // start past the first 150 characters because a republisher's opening line ("Washington, DC (STL.News)
  // The US Department of State released …") is shared by unrelated releases.
  const devWindows = new Set(dev.flatMap((d) => [150, 300, 450].map((at) => d.text.slice(at, at + 80)).filter((w) => w.length === 80)));
  for (const example of corpus) {
    expect(devIds.has(example.id), example.id).toBe(false);
    expect(devSources.has(example.source), example.id).toBe(false);
    for (const w of devWindows) expect(example.text.includes(w), `${example.id} repeats dev text "${w}"`).toBe(false);
  }
}

/** The line checks every shipped corpus gets, as tests of the calling `describe`. */
export function itPassesCorpusLineChecks(corpus: readonly LabelledExample[]): void {
  it('names a source URL and an open licence on every line', () => {
    expectAttributed(corpus);
  });
  it('uses only framework label ids, and texts of excerpt length', () => {
    expectFrameworkLabelsAndExcerptLengths(corpus);
  });
  it.skipIf(!dev.present)('has unique ids and sources, none shared with the dev set, and no dev-set text', () => {
    expectUniqueAndDisjointFromDev(corpus);
  });
}
