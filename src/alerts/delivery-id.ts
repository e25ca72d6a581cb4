import { createHash } from 'node:crypto';

/** The kinds of event a webhook carries. */
export type WebhookEventType = 'article.matched' | 'article.updated' | 'article.digest' | 'feed.health' | 'endpoint.disabled';

/**
 * The id of one (endpoint, event) delivery, derived from both so re-evaluating an article, replaying rules
 * or a second worker creates the same id and so the same row and job. It is also the `webhook-id` header,
 * the receiver's idempotency key: stable across retries and replays.
 */
export function deliveryIdFor(input: { endpointId: string; ruleId: string | null; type: WebhookEventType; eventKey: string }): string {
  const h = createHash('sha256').update(JSON.stringify([input.endpointId, input.ruleId, input.type, input.eventKey])).digest('hex');
  return `msg_${h.slice(0, 26)}`;
}
