import { jobIds } from '../queues/definitions.js';
import type { QueueClient } from '../queues/queue-client.js';
import { WEBHOOK_BACKOFF } from './retry-schedule.js';

/** The Standard Webhooks schedule has 7 delays: 8 attempts in all. */
const DEFAULT_ATTEMPTS = 8;

/**
 * Queues one deliver job per delivery id with `jobId` = `deliver-<id>`: the same delivery enqueued twice
 * (re-evaluation, replay of rules) is one job. `attempts` should be `attemptsFor(settings.alerts.retrySchedule)`.
 * A manual replay passes `replay` (the delivery's replay count) so a new job runs even while the old one is kept.
 */
export async function enqueueDeliveries(queues: QueueClient, ids: string[], options: { attempts?: number; replay?: number } = {}): Promise<void> {
  for (const deliveryId of ids) {
    const jobId = options.replay ? `${jobIds.deliver(deliveryId)}-replay-${options.replay}` : jobIds.deliver(deliveryId);
    await queues.add('deliver', { deliveryId }, { jobId, attempts: options.attempts ?? DEFAULT_ATTEMPTS, backoff: { type: WEBHOOK_BACKOFF } });
  }
}
