/** Bounds on a receiver's Retry-After: at least a second, at most a day (a longer wait is a failure's job). */
const MIN_MS = 1_000;
const MAX_MS = 86_400_000;

/**
 * Milliseconds to wait from a `Retry-After` header (delay-seconds or an HTTP-date), clamped to [1 s, 1 day];
 * null when the header is missing or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (value === undefined) return null;
  const v = value.trim();
  let ms: number;
  if (/^\d+$/.test(v)) ms = Number(v) * 1000;
  else {
    const t = Date.parse(v);
    if (Number.isNaN(t)) return null;
    ms = t - now.getTime();
  }
  return Math.min(MAX_MS, Math.max(MIN_MS, ms));
}
