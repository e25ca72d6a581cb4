/**
 * Milliseconds to wait from a `Retry-After` header value (RFC 9110 §10.2.3: delay-seconds, or an HTTP-date
 * taken relative to `now`); never negative (a date already past is 0); null when the header is absent or
 * unreadable. The one parser for feeds, article pages and webhooks: each caller bounds the result to its
 * own policy (a feed's back-off, a page job's delay, a webhook receiver's [1 s, 1 day]).
 */
export function retryAfterMs(value: string | undefined, now: Date): number | null {
  if (value === undefined) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}
