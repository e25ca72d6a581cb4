import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Framework } from '../config/framework-schema.js';
import { crossValidate } from './cross-validate.js';
import { frameworkExamples, type LabelledExample } from './dataset.js';
import type { EvaluationReport } from './metrics.js';
import { activateModel, defaultModelsDir, readActivePointer, saveModel } from './model-registry.js';
import { trainModel, type TrainOptions } from './train.js';

/** What `train` did: the new model, its cross-validated scores and the previous active model's. */
export interface TrainingRun {
  version: string;
  file: string;
  activated: boolean;
  report: EvaluationReport;
  previous: { version: string; report: EvaluationReport | null } | null;
}

/** The cross-validation report kept next to a model (`<version>.report.json`), so later runs can compare. */
export function readModelReport(version: string, dir = defaultModelsDir()): EvaluationReport | null {
  const file = join(dir, `${version}.report.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as EvaluationReport) : null;
}

/**
 * Trains on the framework's own texts plus `examples`, measures the procedure by k-fold cross-validation
 * on `examples` (never scoring an article the model trained on), saves the model under its content hash
 * with its report, and (unless told not to) makes it the active model.
 */
export function runTraining(
  framework: Framework,
  examples: readonly LabelledExample[],
  options: Partial<TrainOptions> & { outerFolds?: number; activate?: boolean; modelsDir?: string; now?: Date } = {},
): TrainingRun {
  const dir = options.modelsDir ?? defaultModelsDir();
  const fwTexts = frameworkExamples(framework);
  const { report } = crossValidate(framework, examples, { ...options, extraTraining: fwTexts });
  const artifact = trainModel(framework, [...fwTexts, ...examples], options);
  const { version, file } = saveModel(artifact, dir);
  writeFileSync(join(dir, `${version}.report.json`), `${JSON.stringify(report, null, 2)}\n`);
  const pointer = readActivePointer(dir);
  const previous = pointer && pointer.version !== version ? { version: pointer.version, report: readModelReport(pointer.version, dir) } : null;
  const activate = options.activate ?? true;
  if (activate) activateModel(version, dir, options.now);
  return { version, file, activated: activate, report, previous };
}
