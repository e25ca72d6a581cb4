import { retryAfterMs } from '../fetch/retry-after.js';

/** The backoff type delivery jobs carry; the deliver worker's strategy computes its delays. */
export const WEBHOOK_BACKOFF = 'webhook-schedule';

/** A retry may start up to this share earlier or later than scheduled, so retries of one outage spread out. */
export const DEFAULT_JITTER = 0.2;

/**
 * The delay before retry `attemptsMade` (1 = the first retry) from a schedule such as the Standard Webhooks
 * one (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), with ±jitter. Past the schedule's end the last delay repeats.
 */
export function scheduledDelay(schedule: readonly number[], attemptsMade: number, jitter = DEFAULT_JITTER, random: () => number = Math.random): number {
  if (schedule.length === 0) return 0;
  const base = schedule[Math.min(Math.max(attemptsMade, 1), schedule.length) - 1] as number;
  const factor = 1 + jitter * (2 * random() - 1);
  return Math.max(0, Math.round(base * factor));
}

/** Attempts in all: the immediate first one plus one per scheduled delay. */
export function attemptsFor(schedule: readonly number[]): number {
  return schedule.length + 1;
}

/** Bounds on a receiver's Retry-After: at least a second, at most a day (a longer wait is a failure's job). */
const RETRY_AFTER_MIN_MS = 1_000;
const RETRY_AFTER_MAX_MS = 86_400_000;

/**
 * How long a receiver's 429/503 `Retry-After` asks us to wait, clamped to [1 s, 1 day]; null when the header
 * is missing or unreadable (then the answer is an ordinary failure).
 */
export function receiverRetryAfterMs(value: string | undefined, now: Date): number | null {
  const ms = retryAfterMs(value, now);
  return ms === null ? null : Math.min(RETRY_AFTER_MAX_MS, Math.max(RETRY_AFTER_MIN_MS, ms));
}
