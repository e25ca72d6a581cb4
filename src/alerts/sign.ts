import { Webhook } from 'standardwebhooks';

/**
 * The three Standard Webhooks headers for one attempt. `webhook-id` is the delivery's id (the same on every
 * retry); `webhook-timestamp` is this attempt's time in seconds; `webhook-signature` carries one `v1,…`
 * signature per secret, space-separated, so a receiver rotating secrets accepts either.
 */
export function signatureHeaders(input: { id: string; at: Date; body: string; secrets: string[] }): Record<string, string> {
  const signatures = input.secrets.map((secret) => new Webhook(secret).sign(input.id, input.at, input.body));
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(Math.floor(input.at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
