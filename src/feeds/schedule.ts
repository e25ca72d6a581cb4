import { retryAfterMs } from '../fetch/retry-after.js';

/**
 * When to poll a feed next. Pure functions: the poll stage and the service's scheduler call them with what
 * they know; nothing here reads a clock.
 */

export interface PollBounds {
  /** Never poll one feed more often than this. */
  floor: number;
  /** Never wait longer than this, even for a failing feed (it is never dropped, only slowed). */
  ceiling: number;
}

/** What the publisher said about its own rhythm, from the feed and the response headers. */
export interface PublisherHints {
  ttlMs?: number | null;
  updatePeriodMs?: number | null;
  /** Lower-cased response headers. */
  headers?: Record<string, string>;
}

const clamp = (ms: number, bounds: PollBounds) => Math.min(bounds.ceiling, Math.max(bounds.floor, Math.round(ms)));

/** `Cache-Control: max-age` (or `s-maxage`) in ms; null when absent or `no-cache`/`no-store`. */
export function maxAgeMs(cacheControl: string | undefined): number | null {
  if (!cacheControl) return null;
  const m = /(?:^|,)\s*(?:s-maxage|max-age)\s*=\s*"?(\d+)"?/i.exec(cacheControl);
  return m?.[1] ? Number(m[1]) * 1000 : null;
}

/** `Expires` as a delay from `now`; null when absent, invalid or in the past. */
export function expiresInMs(expires: string | undefined, now: Date): number | null {
  if (!expires) return null;
  const at = Date.parse(expires);
  if (Number.isNaN(at)) return null;
  const delta = at - now.getTime();
  return delta > 0 ? delta : null;
}

/**
 * The adaptive interval: a feed's configured interval scaled by how often it really has new items (`rhythmMs`,
 * the smoothed time between polls that found new items). A busy feed is polled up to twice as often as
 * configured, a quiet one down to a quarter as often; unknown rhythm keeps the configured interval.
 */
export function adaptiveIntervalMs(intervalMs: number, rhythmMs: number | null): number {
  if (rhythmMs === null || !Number.isFinite(rhythmMs) || rhythmMs <= 0) return intervalMs;
  // Polling at half the rhythm catches most items within half a rhythm of publication.
  return Math.min(intervalMs * 4, Math.max(intervalMs / 2, rhythmMs / 2));
}

/**
 * Next poll after a successful fetch: the largest of the adaptive interval, RSS `<ttl>`, `sy:updatePeriod`,
 * Cache-Control max-age, Expires and Retry-After, clamped to the floor and ceiling. Publishers' hints can
 * only slow us down (politeness), never speed us up past our own interval.
 */
export function nextPollDelay(input: { intervalMs: number; rhythmMs?: number | null; hints?: PublisherHints; now: Date; bounds: PollBounds }): number {
  const h = input.hints?.headers ?? {};
  const candidates = [
    adaptiveIntervalMs(input.intervalMs, input.rhythmMs ?? null),
    input.hints?.ttlMs ?? 0,
    input.hints?.updatePeriodMs ?? 0,
    maxAgeMs(h['cache-control']) ?? 0,
    expiresInMs(h.expires, input.now) ?? 0,
    retryAfterMs(h['retry-after'], input.now) ?? 0,
  ];
  return clamp(Math.max(...candidates), input.bounds);
}

/**
 * Next poll after a failure: the interval doubled per consecutive failure (1×, 2×, 4×, …), at least any
 * Retry-After the server sent, capped at the ceiling. The feed stays scheduled at the cap forever and
 * returns to its normal rhythm on its first success.
 */
export function failureBackoffDelay(input: { intervalMs: number; consecutiveFailures: number; retryAfterMs?: number | null; bounds: PollBounds }): number {
  const exponent = Math.min(30, Math.max(0, input.consecutiveFailures - 1));
  const backoff = input.intervalMs * 2 ** exponent;
  return clamp(Math.max(backoff, input.retryAfterMs ?? 0), input.bounds);
}

/** Smoothing weight of the newest gap in the new-item rhythm (an EWMA; 0.3 follows a change within a few gaps). */
const RHYTHM_ALPHA = 0.3;

/** Updates the smoothed gap between polls that found new items. */
export function updateRhythm(previousRhythmMs: number | null, lastNewItemAt: Date | null, now: Date): number | null {
  if (!lastNewItemAt) return previousRhythmMs;
  const gap = now.getTime() - lastNewItemAt.getTime();
  if (gap <= 0) return previousRhythmMs;
  return previousRhythmMs === null ? gap : Math.round(RHYTHM_ALPHA * gap + (1 - RHYTHM_ALPHA) * previousRhythmMs);
}

/** Whether this poll should drop ETag / Last-Modified (every `unconditionalEvery`-th poll). */
export function shouldPollUnconditionally(pollsSinceUnconditional: number, unconditionalEvery: number): boolean {
  return pollsSinceUnconditional + 1 >= unconditionalEvery;
}
