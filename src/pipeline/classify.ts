import type { Classification, Classifier } from '../domain/types.js';

/**
 * The classify stage: tags an article's title and text against the framework. The classifier comes from
 * `loadClassifier` (src/classifiers/load-classifier.ts) once per process; the result carries the framework
 * and model versions.
 */
export function classifyArticle(input: { title: string; text: string }, classifier: Classifier): Classification {
  return classifier.classify({ title: input.title, text: input.text });
}
