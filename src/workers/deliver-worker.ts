import type { Worker } from 'bullmq';
import { attemptsFor, scheduledDelay, WEBHOOK_BACKOFF } from '../alerts/retry-schedule.js';
import { runDeliverJob, type DeliverDeps } from '../pipeline/deliver.js';
import type { QueueClient } from '../queues/queue-client.js';
import { baseOf, createStageWorker, delayWithoutAttempt, isLastAttempt, type StageWorkerBase } from './stage-worker.js';

export interface DeliverWorkerDeps extends StageWorkerBase {
  queues: QueueClient;
  deliver: DeliverDeps;
  /** settings.alerts.retrySchedule (ms); tests pass short delays. */
  retrySchedule: number[];
  /** ± share of each delay (default 0.2). */
  jitter?: number;
}

/** A failed attempt that the schedule will retry (the message is the receiver's answer or the fetch error). */
export class WebhookAttemptError extends Error {
  override readonly name = 'WebhookAttemptError';
}

/** deliver: delivery id → one signed POST (src/pipeline/deliver.ts), retried on the webhook schedule (custom backoff). */
export function createDeliverWorker(deps: DeliverWorkerDeps): Worker {
  const stage = { ...deps.deliver, enqueue: deps.queues.enqueue, deliveryAttempts: attemptsFor(deps.retrySchedule) };
  const backoffStrategy = (attemptsMade: number, type?: string) => scheduledDelay(type === WEBHOOK_BACKOFF ? deps.retrySchedule : [5_000], attemptsMade, deps.jitter);
  return createStageWorker({
    queue: 'deliver',
    ...baseOf(deps),
    settings: { backoffStrategy },
    handle: async ({ deliveryId }, job) => {
      const { outcomes, step } = await runDeliverJob(deliveryId, { lastAttempt: isLastAttempt(job) }, stage);
      for (const outcome of outcomes) deps.metrics.deliveries.inc({ outcome });
      if (step.next === 'later') return delayWithoutAttempt(job, step.delayMs, step.reason);
      if (step.next === 'retry') throw new WebhookAttemptError(step.error);
      if (step.warn) deps.logger.warn({ stage: 'deliver', ...step.warn.fields }, step.warn.message);
      return step.fields;
    },
  });
}
