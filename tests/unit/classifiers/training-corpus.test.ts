import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot, readActiveModel, shippedTrainingFiles } from '../../../src/classifiers/model-registry.js';
import { corpusFiles, itPassesCorpusLineChecks, nearCopies, passageWindows, readCorpus } from './corpus-checks.js';

// data/training/*.jsonl is read by `framewatch train` and `eval --folds` by default, so every line there
// shapes the shipped model: it must be attributable and openly licensed, labelled with the framework's ids,
// and share no passage with the dev set (which cross-validation scores) or the holdout (which checks it).
const corpus = readCorpus('training');
const holdout = readCorpus('holdout');

describe('shipped training corpus (data/training/*.jsonl)', () => {
  it('is there and is what the active model was trained on', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(20);
    expect(shippedTrainingFiles()).toEqual(corpusFiles('training'));
    const datasets = readActiveModel().artifact.training.datasets;
    for (const f of corpusFiles('training')) expect(datasets, f).toContain(relative(packageRoot(), f));
  });

  itPassesCorpusLineChecks(corpus);

  it('shares no id or source with the holdout, and repeats no passage of a holdout text', () => {
    const holdoutIds = new Set(holdout.map((h) => h.id));
    const holdoutSources = new Set(holdout.map((h) => h.source));
    const windows = holdout.flatMap((h) => passageWindows(h.text).map((w) => ({ id: h.id, w })));
    for (const example of corpus) {
      expect(holdoutIds.has(example.id), example.id).toBe(false);
      expect(holdoutSources.has(example.source), example.id).toBe(false);
      for (const { id, w } of windows) expect(example.text.includes(w), `${example.id} repeats ${id}: "${w}"`).toBe(false);
    }
  });

  it('holds no text twice (a second transcript or a republished copy of one text)', () => {
    // A copy would be scored in cross-validation by a model that trained on its twin.
    expect(nearCopies(corpus)).toEqual([]);
  });

  it('marks each translation with a training line it was translated from, in another language', () => {
    const byId = new Map(corpus.map((c) => [c.id, c]));
    for (const t of corpus.filter((c) => c.translatedFrom !== undefined)) {
      const original = byId.get(t.translatedFrom as string);
      expect(original, `${t.id} → ${t.translatedFrom}`).toBeDefined();
      expect(original?.translatedFrom, `${t.id}: a translation of a translation`).toBeUndefined();
      expect(t.lang, t.id).not.toBe(original?.lang ?? 'en');
      expect(t.source, `${t.id} names its original's source`).toBe(original?.source);
    }
  });

  it('holds out-of-context negatives beside its positives', () => {
    expect(corpus.filter((c) => c.labels.length === 0).length).toBeGreaterThanOrEqual(3);
    expect(corpus.filter((c) => c.labels.length > 0).length).toBeGreaterThanOrEqual(15);
  });
});
