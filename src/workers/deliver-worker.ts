import { DelayedError, type Job, type Worker } from 'bullmq';
import { enqueueDeliveries } from '../alerts/enqueue-deliveries.js';
import { attemptsFor, scheduledDelay, WEBHOOK_BACKOFF } from '../alerts/retry-schedule.js';
import { deliverOnce, markDeliveryDead, type DeliverDeps } from '../pipeline/deliver.js';
import type { QueueClient } from '../queues/queue-client.js';
import { baseOf, createStageWorker, type StageWorkerBase } from './stage-worker.js';

export { enqueueDeliveries } from '../alerts/enqueue-deliveries.js';

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

/**
 * deliver: delivery id → one signed POST. Failures are retried on the webhook schedule (custom backoff);
 * 429/503 with Retry-After moves the job to delayed without spending an attempt; the last failure
 * dead-letters the delivery (status `dead`, kept for replay) instead of dropping it.
 */
export function createDeliverWorker(deps: DeliverWorkerDeps): Worker {
  const attempts = attemptsFor(deps.retrySchedule);
  return createStageWorker({
    queue: 'deliver',
    ...baseOf(deps),
    settings: {
      backoffStrategy: (attemptsMade: number, type?: string) =>
        type === WEBHOOK_BACKOFF ? scheduledDelay(deps.retrySchedule, attemptsMade, deps.jitter) : scheduledDelay([5_000], attemptsMade, deps.jitter),
    },
    handle: async ({ deliveryId }, job: Job) => {
      const out = await deliverOnce(deliveryId, deps.deliver);
      deps.metrics.deliveries.inc({ outcome: out.kind });
      if ('enqueue' in out && out.enqueue.length > 0) await enqueueDeliveries(deps.queues, out.enqueue, { attempts });
      switch (out.kind) {
        case 'later':
          // Not a failure: BullMQ keeps attemptsMade as it is for a job moved to delayed by its processor.
          await job.moveToDelayed(Date.now() + out.delayMs, job.token);
          throw new DelayedError(`receiver asked to retry in ${out.delayMs} ms`);
        case 'failed': {
          if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
            await markDeliveryDead(deliveryId, out.error, deps.deliver);
            deps.metrics.deliveries.inc({ outcome: 'dead' });
            return { deliveryId, outcome: 'dead', attempt: out.attempt, status: out.status, error: out.error };
          }
          throw new WebhookAttemptError(out.error);
        }
        case 'gone':
          deps.logger.warn({ stage: 'deliver', deliveryId, endpointDisabled: true, notified: out.enqueue.length }, 'webhook endpoint disabled; nothing more is sent to it');
          return { deliveryId, outcome: out.kind, attempt: out.attempt };
        case 'refused':
          deps.logger.warn({ stage: 'deliver', deliveryId, error: out.error }, 'webhook refused before sending (address or URL); dead-lettered');
          return { deliveryId, outcome: out.kind, attempt: out.attempt };
        default:
          return { deliveryId, outcome: out.kind, ...(out.kind === 'skipped' ? { reason: out.reason } : { attempt: out.attempt }) };
      }
    },
  });
}
