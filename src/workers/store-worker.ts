import type { Worker } from 'bullmq';
import { runStoreJob, type StoreJobDeps } from '../pipeline/store.js';
import type { QueueClient } from '../queues/queue-client.js';
import { baseOf, createStageWorker, type StageWorkerBase } from './stage-worker.js';

export interface StoreWorkerDeps extends StageWorkerBase, Omit<StoreJobDeps, 'enqueue'> {
  queues: QueueClient;
}

/** store: article id → the reviewed record in PostgreSQL → alert (src/pipeline/store.ts). */
export function createStoreWorker(deps: StoreWorkerDeps): Worker {
  const stage: StoreJobDeps = { work: deps.work, articles: deps.articles, clock: deps.clock, enqueue: deps.queues.enqueue };
  return createStageWorker({ queue: 'store', ...baseOf(deps), handle: ({ articleId }) => runStoreJob(articleId, stage) });
}
