import type { Worker } from 'bullmq';
import { systemClock } from '../domain/types.js';
import { runClassifyJob, type ClassifyJobDeps } from '../pipeline/classify.js';
import type { QueueClient } from '../queues/queue-client.js';
import { baseOf, createStageWorker, type StageWorkerBase } from './stage-worker.js';

export interface ClassifyWorkerDeps extends StageWorkerBase, Pick<ClassifyJobDeps, 'work' | 'classifier'>, Partial<Pick<ClassifyJobDeps, 'clock'>> {
  queues: QueueClient;
}

/** classify: article id → labels with evidence on the working document → store (src/pipeline/classify.ts). */
export function createClassifyWorker(deps: ClassifyWorkerDeps): Worker {
  const stage: ClassifyJobDeps = { work: deps.work, classifier: deps.classifier, clock: deps.clock ?? systemClock, enqueue: deps.queues.enqueue };
  return createStageWorker({
    queue: 'classify',
    ...baseOf(deps),
    handle: async ({ articleId }) => {
      const { classification, fields } = await runClassifyJob(articleId, stage);
      for (const label of classification.labels) deps.metrics.labelsApplied.inc({ label: label.id });
      return fields;
    },
  });
}
