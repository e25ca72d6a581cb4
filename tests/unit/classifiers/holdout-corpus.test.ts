import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDataset } from '../../../src/classifiers/dataset.js';
import { packageRoot, shippedTrainingFiles } from '../../../src/classifiers/model-registry.js';
import { itPassesCorpusLineChecks } from './corpus-checks.js';
import { repoFramework } from './helpers.js';

// data/holdout/public-texts.jsonl is the out-of-style check (texts from other publishers and styles than the
// dev set, labelled by the dev README's rules): each line must be a real, attributable, openly licensed
// text, labelled with the framework's ids, never a copy of a dev-set article, and never in training.
const holdoutFile = join(packageRoot(), 'data', 'holdout', 'public-texts.jsonl');
const corpus = readDataset(holdoutFile);

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

  itPassesCorpusLineChecks(corpus);

  it('holds positives of every label and out-of-context negatives', () => {
    const counts = new Map<string, number>();
    for (const example of corpus) for (const l of example.labels) counts.set(l, (counts.get(l) ?? 0) + 1);
    for (const l of repoFramework().labels) expect(counts.get(l.id) ?? 0, l.id).toBeGreaterThanOrEqual(3);
    expect(corpus.filter((c) => c.labels.length === 0).length).toBeGreaterThanOrEqual(8);
  });
});
