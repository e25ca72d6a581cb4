import type { Classification, Classifier, Clock } from '../domain/types.js';
import { shortHash } from '../lib/short-hash.js';
import { jobIds, type Enqueue } from '../queues/definitions.js';
import type { WorkStore } from '../queues/work-store.js';
import { PermanentStageError } from './stage-error.js';

/**
 * The classify stage: tags an article's title and text against the framework. The classifier comes from
 * `loadClassifier` (src/classifiers/load-classifier.ts) once per process; the result carries the framework
 * and model versions.
 */
export function classifyArticle(input: { title: string; text: string }, classifier: Classifier): Classification {
  return classifier.classify({ title: input.title, text: input.text });
}

export interface ClassifyJobDeps {
  work: WorkStore;
  enqueue: Enqueue;
  clock: Clock;
  classifier: () => Classifier;
}

/**
 * The classify stage for one job: article id → labels with evidence on the working document → store. The
 * store job is keyed by what the record would change (labels, versions, text, feeds), so a repeat is one job.
 */
export async function runClassifyJob(articleId: string, deps: ClassifyJobDeps): Promise<{ classification: Classification; fields: Record<string, unknown> }> {
  // The text only: classify never needs the page's HTML or the trace.
  const work = await deps.work.getText(articleId);
  if (!work) throw new PermanentStageError(`article ${articleId} has no working document (expired)`);
  if (!work.extracted) throw new PermanentStageError(`article ${articleId} reached classify without extracted text`);
  const started = deps.clock.now();
  const classification = classifyArticle({ title: work.extracted.title ?? work.item.title, text: work.extracted.text }, deps.classifier());
  await deps.work.setClassification(articleId, classification, {
    stage: 'classify',
    at: started.toISOString(),
    durationMs: deps.clock.now().getTime() - started.getTime(),
    outcome: 'ok',
  });
  const revision = shortHash({ labels: classification.labels, model: classification.model, framework: classification.framework, text: work.extracted.text, sightings: work.sightings });
  await deps.enqueue('store', { articleId }, { jobId: jobIds.store(articleId, revision) });
  return { classification, fields: { articleId, labels: classification.labels.map((l) => l.id), relevance: classification.relevance } };
}
