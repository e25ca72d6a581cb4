/** The classifier's public surface for workers and CLI commands. */
export { loadClassifier, type LoadClassifierOptions } from './load-classifier.js';
export { FrameworkClassifier } from './framework-classifier.js';
export { trainModel, DEFAULT_TRAIN_OPTIONS, type TrainOptions } from './train.js';
export { crossValidate, type CrossValidationOptions, type CrossValidationResult } from './cross-validate.js';
export { evaluate, formatReport, type EvaluationReport, type LabelScores } from './metrics.js';
export { readDataset, frameworkExamples, type LabelledExample } from './dataset.js';
export { saveModel, activateModel, readActiveModel, readActivePointer, defaultModelsDir } from './model-registry.js';
export { modelVersion, type ModelArtifact } from './model/artifact.js';
