import type { Framework } from '../config/framework-schema.js';
import type { LabelledExample } from './dataset.js';
import { FrameworkClassifier } from './framework-classifier.js';
import { evaluate, type EvaluationReport } from './metrics.js';
import { modelVersion } from './model/artifact.js';
import { assignFolds } from './model/folds.js';
import { prepareExamples, trainPrepared, type TrainOptions } from './train.js';

export interface CrossValidationOptions extends Partial<TrainOptions> {
  /** Outer folds: each article is scored by a model that never saw it. */
  outerFolds?: number;
  /** Always in training, never scored (framework texts, other datasets). */
  extraTraining?: readonly LabelledExample[];
}

/** Predicted label ids per article of `examples`, each from a model trained without that article's fold. */
export interface CrossValidationResult {
  report: EvaluationReport;
  predictions: { id: string; gold: string[]; predicted: string[] }[];
}

/**
 * K-fold cross-validation of the whole training procedure (including the inner calibration and threshold
 * choice), so the figures are those of articles the model never saw.
 */
export function crossValidate(framework: Framework, examples: readonly LabelledExample[], options: CrossValidationOptions = {}): CrossValidationResult {
  const k = options.outerFolds ?? 5;
  const seed = options.seed ?? 1;
  const prepared = prepareExamples(framework, examples);
  const extra = prepareExamples(framework, options.extraTraining ?? []);
  const folds = assignFolds(
    examples.map((e) => e.labels),
    k,
    // A different stream from the inner folds, so outer and inner splits are not aligned.
    seed + 7919,
  );
  const predicted: string[][] = examples.map(() => []);
  for (let f = 0; f < k; f++) {
    const heldIdx = examples.flatMap((_, i) => (folds[i] === f ? [i] : []));
    if (heldIdx.length === 0) continue;
    const artifact = trainPrepared(
      framework,
      [...extra, ...prepared.filter((_, i) => folds[i] !== f)],
      options,
    );
    const classifier = new FrameworkClassifier(framework, artifact, modelVersion(artifact));
    for (const i of heldIdx) {
      const e = examples[i] as LabelledExample;
      predicted[i] = classifier.classify(e).labels.map((l) => l.id);
    }
  }
  const labelIds = framework.labels.map((l) => l.id);
  const gold = examples.map((e) => e.labels);
  return {
    report: evaluate(labelIds, gold, predicted),
    predictions: examples.map((e, i) => ({ id: e.id, gold: e.labels, predicted: predicted[i] ?? [] })),
  };
}
