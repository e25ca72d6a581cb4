import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDataset, type LabelledExample } from '../../../src/classifiers/dataset.js';
import { packageRoot, readActiveModel, shippedTrainingFiles } from '../../../src/classifiers/model-registry.js';
import { itPassesCorpusLineChecks } from './corpus-checks.js';

// data/training/*.jsonl is read by `framewatch train` and `eval --folds` by default, so every line there
// shapes the shipped model: it must be attributable and openly licensed, labelled with the framework's ids,
// and share no passage with the dev set (which cross-validation scores) or the holdout (which checks it).
const files = shippedTrainingFiles();
const corpus: LabelledExample[] = files.flatMap((f) => readDataset(f));
const holdout = readDataset(join(packageRoot(), 'data', 'holdout', 'public-texts.jsonl'));

describe('shipped training corpus (data/training/*.jsonl)', () => {
  it('is there and is what the active model was trained on', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(20);
    const datasets = readActiveModel().artifact.training.datasets;
    for (const f of files) expect(datasets, f).toContain(relative(packageRoot(), f));
  });

  itPassesCorpusLineChecks(corpus);

  it('repeats no passage of a holdout text (the same release read on another host)', () => {
    const windows = holdout.flatMap((h) => [150, 300, 450].map((at) => ({ id: h.id, w: h.text.slice(at, at + 80) })).filter((x) => x.w.length === 80));
    for (const example of corpus) {
      for (const { id, w } of windows) expect(example.text.includes(w), `${example.id} repeats ${id}: "${w}"`).toBe(false);
    }
  });

  it('holds out-of-context negatives beside its positives', () => {
    expect(corpus.filter((c) => c.labels.length === 0).length).toBeGreaterThanOrEqual(3);
    expect(corpus.filter((c) => c.labels.length > 0).length).toBeGreaterThanOrEqual(15);
  });
});
