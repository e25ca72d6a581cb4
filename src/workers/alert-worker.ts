import type { Worker } from 'bullmq';
import { runAlertJob, type AlertDeps, type AlertJobDeps } from '../pipeline/alert.js';
import type { QueueClient } from '../queues/queue-client.js';
import { baseOf, createStageWorker, type StageWorkerBase } from './stage-worker.js';

export interface AlertWorkerDeps extends StageWorkerBase, Pick<AlertJobDeps, 'articles' | 'feedHealth' | 'deliveryAttempts'> {
  queues: QueueClient;
  alert: AlertDeps;
}

/** What the alert job reads, from the worker's deps: the worker and a job run elsewhere (the inline path) share it. */
export function alertJobDeps(deps: Omit<AlertWorkerDeps, keyof StageWorkerBase>): AlertJobDeps {
  return { ...deps.alert, articles: deps.articles, feedHealth: deps.feedHealth, deliveryAttempts: deps.deliveryAttempts, enqueue: deps.queues.enqueue };
}

/** alert: article id, feed health event or digest window → rule decisions → delivery jobs (src/pipeline/alert.ts). */
export function createAlertWorker(deps: AlertWorkerDeps): Worker {
  const stage = alertJobDeps(deps);
  return createStageWorker({ queue: 'alert', ...baseOf(deps), handle: (payload) => runAlertJob(payload, stage) });
}
