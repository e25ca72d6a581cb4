import type { Framework } from '../config/framework-schema.js';
import type { Classifier } from '../domain/types.js';
import { FrameworkClassifier } from './framework-classifier.js';
import { defaultModelsDir, readActiveModel, readModelFile } from './model-registry.js';

export interface LoadClassifierOptions {
  /** A model file to use instead of the active one of the models folder. */
  modelPath?: string;
  /** Models folder whose `active.json` names the model (default: the package's `models/`). */
  modelsDir?: string;
  /** Told when the model was trained with another framework version (it still works; retrain to match). */
  warn?: (message: string, details: Record<string, unknown>) => void;
}

/**
 * The classifier every worker process uses: the framework as loaded (its version goes on every result)
 * with the active model (`models/active.json`, or `modelPath`). The model's version is its content hash.
 */
export async function loadClassifier(framework: Framework, options: LoadClassifierOptions = {}): Promise<Classifier> {
  const loaded = options.modelPath ? readModelFile(options.modelPath) : readActiveModel(options.modelsDir ?? defaultModelsDir());
  if (loaded.artifact.framework !== framework.version) {
    // Framework terms feed the model's features: an edited framework.yaml shifts them until `framewatch train`.
    options.warn?.('model was trained with another framework version; run `framewatch train`', {
      model: loaded.version,
      trainedWith: loaded.artifact.framework,
      framework: framework.version,
    });
  }
  return new FrameworkClassifier(framework, loaded.artifact, loaded.version);
}
