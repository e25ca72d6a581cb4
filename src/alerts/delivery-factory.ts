import type { Clock } from '../domain/types.js';
import type { DeliveryRecords } from '../store/alert-storage.js';
import type { NewDelivery } from '../store/delivery-store.js';
import { deliveryIdFor } from './delivery-id.js';
import type { WebhookEvent } from './payload.js';

/**
 * Creates one delivery per endpoint for one event, with ids derived from (endpoint, rule, type, key). An
 * event already stored keeps its original body; returns the ids still pending (to enqueue).
 */
export async function createDeliveries(
  deliveries: Pick<DeliveryRecords, 'create'>,
  input: { endpointIds: string[]; ruleId: string | null; event: WebhookEvent; eventKey: string; articleId: string | null },
  clock: Clock,
): Promise<string[]> {
  const body = JSON.stringify(input.event);
  const rows: NewDelivery[] = [...new Set(input.endpointIds)].map((endpointId) => ({
    id: deliveryIdFor({ endpointId, ruleId: input.ruleId, type: input.event.type, eventKey: input.eventKey }),
    endpointId,
    ruleId: input.ruleId,
    eventType: input.event.type,
    eventKey: input.eventKey,
    articleId: input.articleId,
    body,
  }));
  return deliveries.create(rows, clock.now());
}
