import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDataset } from '../../../src/classifiers/dataset.js';
import { packageRoot, shippedTrainingFiles } from '../../../src/classifiers/model-registry.js';
import { devDataset, repoFramework } from './helpers.js';

// data/holdout/public-texts.jsonl is the out-of-style check (texts from other publishers and styles than the
// dev set, labelled by the dev README's rules): each line must be a real, attributable, openly licensed
// text, labelled with the framework's ids, never a copy of a dev-set article, and never in training.
const holdoutFile = join(packageRoot(), 'data', 'holdout', 'public-texts.jsonl');
const corpus = readDataset(holdoutFile);
const OPEN_LICENCE = /public domain|CC BY|Open Government Licence/i;

describe('out-of-style holdout corpus (data/holdout/public-texts.jsonl)', () => {
  it('is there, and none of its texts is in the shipped training corpus', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    // By content, not by path: a copy of these lines under data/training/ would train on the holdout.
    const holdoutSources = new Set(corpus.map((c) => c.source));
    const holdoutIds = new Set(corpus.map((c) => c.id));
    for (const file of shippedTrainingFiles()) {
      for (const example of readDataset(file)) {
        expect(holdoutSources.has(example.source), `${file} ${example.id}`).toBe(false);
        expect(holdoutIds.has(example.id), `${file} ${example.id}`).toBe(false);
      }
    }
  });

  it('names a source URL and an open licence on every line', () => {
    for (const example of corpus) {
      expect(example.source, example.id).toMatch(/^https?:\/\//);
      expect(example.license, example.id).toMatch(OPEN_LICENCE);
    }
  });

  it('uses only framework label ids, and texts of excerpt length', () => {
    const known = new Set(repoFramework().labels.map((l) => l.id));
    for (const example of corpus) {
      for (const l of example.labels) expect(known.has(l), `${example.id}: ${l}`).toBe(true);
      expect(example.text.length, example.id).toBeGreaterThanOrEqual(300);
      expect(example.text.length, example.id).toBeLessThanOrEqual(2500);
    }
  });

  it('has unique ids and sources, none shared with the dev set, and no dev-set text', () => {
    const dev = readDataset(devDataset);
    const ids = corpus.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const sources = corpus.map((c) => c.source);
    expect(new Set(sources).size).toBe(sources.length);
    const devIds = new Set(dev.map((d) => d.id));
    const devSources = new Set(dev.map((d) => d.source));
    // An 80-character window of a dev text appearing in a holdout text means the same passage. The windows
    // start past the first 150 characters because a republisher's opening line ("Washington, DC (STL.News)
    // The US Department of State released …") is shared by unrelated releases.
    const devWindows = new Set(dev.flatMap((d) => [150, 300, 450].map((at) => d.text.slice(at, at + 80)).filter((w) => w.length === 80)));
    for (const example of corpus) {
      expect(devIds.has(example.id), example.id).toBe(false);
      expect(devSources.has(example.source), example.id).toBe(false);
      for (const w of devWindows) expect(example.text.includes(w), `${example.id} repeats dev text "${w}"`).toBe(false);
    }
  });

  it('holds positives of every label and out-of-context negatives', () => {
    const counts = new Map<string, number>();
    for (const example of corpus) for (const l of example.labels) counts.set(l, (counts.get(l) ?? 0) + 1);
    for (const l of repoFramework().labels) expect(counts.get(l.id) ?? 0, l.id).toBeGreaterThanOrEqual(3);
    expect(corpus.filter((c) => c.labels.length === 0).length).toBeGreaterThanOrEqual(8);
  });
});
