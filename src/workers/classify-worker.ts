import { UnrecoverableError, type Worker } from 'bullmq';
import type { Classifier } from '../domain/types.js';
import { classifyArticle } from '../pipeline/classify.js';
import { jobIds } from '../queues/definitions.js';
import type { QueueClient } from '../queues/queue-client.js';
import { shortHash } from '../lib/short-hash.js';
import type { WorkStore } from '../queues/work-store.js';
import { baseOf, createStageWorker, type StageWorkerBase } from './stage-worker.js';

export interface ClassifyWorkerDeps extends StageWorkerBase {
  work: WorkStore;
  queues: QueueClient;
  classifier: () => Classifier;
}

/** classify: article id → labels with evidence on the working document → store. */
export function createClassifyWorker(deps: ClassifyWorkerDeps): Worker {
  return createStageWorker({
    queue: 'classify',
    ...baseOf(deps),
    handle: async ({ articleId }) => {
      const work = await deps.work.get(articleId);
      if (!work) throw new UnrecoverableError(`article ${articleId} has no working document (expired)`);
      if (!work.extracted) throw new UnrecoverableError(`article ${articleId} reached classify without extracted text`);
      const started = Date.now();
      const classification = classifyArticle(
        { title: work.extracted.title ?? work.item.title, text: work.extracted.text },
        deps.classifier(),
      );
      await deps.work.setClassification(articleId, classification, {
        stage: 'classify',
        at: new Date(started).toISOString(),
        durationMs: Date.now() - started,
        outcome: 'ok',
      });
      for (const label of classification.labels) deps.metrics.labelsApplied.inc({ label: label.id });
      const revision = shortHash({ labels: classification.labels, model: classification.model, framework: classification.framework, text: work.extracted.text, sightings: work.sightings.length });
      await deps.queues.add('store', { articleId }, { jobId: jobIds.store(articleId, revision) });
      return { articleId, labels: classification.labels.map((l) => l.id), relevance: classification.relevance };
    },
  });
}
