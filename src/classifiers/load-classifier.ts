import type { Framework } from '../config/framework-schema.js';
import type { Classifier } from '../domain/types.js';
import { FrameworkClassifier } from './framework-classifier.js';
import { defaultModelsDir, readActiveModel, readModelFile } from './model-registry.js';

export interface LoadClassifierOptions {
  /** A model file to use instead of the active one of the models folder. */
  modelPath?: string;
  /** Models folder whose `active.json` names the model (default: the package's `models/`). */
  modelsDir?: string;
}

/**
 * The classifier every worker process uses: the framework as loaded (its version goes on every result)
 * with the active model (`models/active.json`, or `modelPath`). The model's version is its content hash.
 */
export async function loadClassifier(framework: Framework, options: LoadClassifierOptions = {}): Promise<Classifier> {
  const loaded = options.modelPath ? readModelFile(options.modelPath) : readActiveModel(options.modelsDir ?? defaultModelsDir());
  return new FrameworkClassifier(framework, loaded.artifact, loaded.version);
}
