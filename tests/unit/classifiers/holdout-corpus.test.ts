import { describe, expect, it } from 'vitest';
import { itPassesCorpusLineChecks, nearCopies, readCorpus } from './corpus-checks.js';
import { repoFramework } from './helpers.js';

// data/holdout/*.jsonl is the out-of-style check (texts from other publishers, styles and languages than the
// dev set, labelled by the dev README's rules): each line must be a real, attributable, openly licensed
// native text, labelled with the framework's ids, never a copy of a dev-set article, and never in training.
const corpus = readCorpus('holdout');
const training = readCorpus('training');

describe('holdout corpus (data/holdout/*.jsonl)', () => {
  it('is there, and none of its texts is in the shipped training corpus', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    // By content, not by path: a copy of these lines under data/training/ would train on the holdout.
    const holdoutSources = new Set(corpus.map((c) => c.source));
    const holdoutIds = new Set(corpus.map((c) => c.id));
    for (const example of training) {
      expect(holdoutSources.has(example.source), `${example.file} ${example.id}`).toBe(false);
      expect(holdoutIds.has(example.id), `${example.file} ${example.id}`).toBe(false);
    }
  });

  itPassesCorpusLineChecks(corpus);

  it('holds no text twice', () => {
    expect(nearCopies(corpus)).toEqual([]);
  });

  it('holds native texts only: a translation measures the translator, not the language', () => {
    for (const example of corpus) expect(example.translatedFrom, example.id).toBeUndefined();
  });

  it('holds positives of every label and out-of-context negatives', () => {
    const counts = new Map<string, number>();
    for (const example of corpus) for (const l of example.labels) counts.set(l, (counts.get(l) ?? 0) + 1);
    for (const l of repoFramework().labels) expect(counts.get(l.id) ?? 0, l.id).toBeGreaterThanOrEqual(3);
    expect(corpus.filter((c) => c.labels.length === 0).length).toBeGreaterThanOrEqual(8);
  });
});
