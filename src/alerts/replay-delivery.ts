import type { QueueClient } from '../queues/queue-client.js';
import type { DeliveryStore } from '../store/delivery-store.js';
import { enqueueDeliveries } from './enqueue-deliveries.js';

export type ReplayResult = { id: string; status: 'pending'; replays: number; requeued: boolean } | null;

/**
 * Sends a delivery again with the same webhook-id. A finished one (delivered, dead, cancelled) is made
 * pending and gets a new job (`deliver-<id>-replay-<n>`). A pending one keeps its retry schedule: only its
 * original job id is queued, which is a no-op while that job exists, so a replay never races a retry into
 * a double send, yet a job lost from Redis is recreated. Null when there is no such delivery.
 */
export async function replayDelivery(store: DeliveryStore, queues: QueueClient, id: string, options: { attempts: number; at: Date }): Promise<ReplayResult> {
  const current = await store.get(id);
  if (!current) return null;
  if (current.status === 'pending') {
    await enqueueDeliveries(queues, [id], { attempts: options.attempts });
    return { id, status: 'pending', replays: current.replays, requeued: false };
  }
  const replays = await store.reopen(id, options.at);
  if (replays === null) return null;
  await enqueueDeliveries(queues, [id], { attempts: options.attempts, replay: replays });
  return { id, status: 'pending', replays, requeued: true };
}
