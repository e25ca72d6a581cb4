import type { Framework } from '../config/framework-schema.js';
import type { Classification } from '../domain/types.js';
import { foldGroup, type LabelledExample } from './dataset.js';
import { FrameworkClassifier } from './framework-classifier.js';
import { evaluateWithLanguages, type EvaluationReport } from './metrics.js';
import { modelVersion } from './model/artifact.js';
import { assignGroupedFolds } from './model/folds.js';
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
  predictions: { id: string; lang: string; gold: string[]; predicted: string[] }[];
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
  const folds = assignGroupedFolds(
    examples.map((e) => e.labels),
    examples.map(foldGroup),
    k,
    // A different stream from the inner folds, so outer and inner splits are not aligned.
    seed + 7919,
  );
  const predicted: string[][] = examples.map(() => []);
  const langs = examples.map((e) => textLanguage(e, null));
  for (let f = 0; f < k; f++) {
    const heldIdx = examples.flatMap((_, i) => (folds[i] === f ? [i] : []));
    if (heldIdx.length === 0) continue;
    // An always-in-training text leaves training while its translation or source is scored.
    const heldGroups = new Set(heldIdx.map((i) => foldGroup(examples[i] as LabelledExample)));
    const artifact = trainPrepared(
      framework,
      [...extra.filter((p) => !heldGroups.has(foldGroup(p.example))), ...prepared.filter((_, i) => folds[i] !== f)],
      options,
    );
    const classifier = new FrameworkClassifier(framework, artifact, modelVersion(artifact));
    for (const i of heldIdx) {
      const e = examples[i] as LabelledExample;
      const c = classifier.classify(e);
      predicted[i] = c.labels.map((l) => l.id);
      langs[i] = textLanguage(e, c);
    }
  }
  const labelIds = framework.labels.map((l) => l.id);
  const gold = examples.map((e) => e.labels);
  return {
    report: evaluateWithLanguages(labelIds, gold, predicted, langs),
    predictions: examples.map((e, i) => ({ id: e.id, lang: langs[i] ?? '', gold: e.labels, predicted: predicted[i] ?? [] })),
  };
}

/**
 * The language a text is counted under in per-language figures: the one its dataset line declares, else the
 * one the classifier read it in (detected), else English (the language of the corpora that predate `lang`).
 */
export function textLanguage(example: Pick<LabelledExample, 'lang'>, classification: Classification | null): string {
  return example.lang ?? classification?.lang ?? 'en';
}
