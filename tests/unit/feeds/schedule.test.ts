import { describe, expect, it } from 'vitest';
import { adaptiveIntervalMs, expiresInMs, failureBackoffDelay, maxAgeMs, nextPollDelay, shouldPollUnconditionally, updateRhythm } from '../../../src/feeds/schedule.js';
import { retryAfterMs } from '../../../src/fetch/retry-after.js';

const now = new Date('2026-11-24T12:00:00Z');
const bounds = { floor: 60_000, ceiling: 24 * 3_600_000 };
const M = 60_000;

describe('nextPollDelay', () => {
  it('is the configured interval when nothing else is known', () => {
    expect(nextPollDelay({ intervalMs: 15 * M, now, bounds })).toBe(15 * M);
  });

  it('takes the largest of interval, ttl, sy:updatePeriod, max-age, Expires and Retry-After', () => {
    expect(nextPollDelay({ intervalMs: 15 * M, hints: { ttlMs: 60 * M }, now, bounds })).toBe(60 * M);
    expect(nextPollDelay({ intervalMs: 15 * M, hints: { updatePeriodMs: 30 * M }, now, bounds })).toBe(30 * M);
    expect(nextPollDelay({ intervalMs: 15 * M, hints: { headers: { 'cache-control': 'public, max-age=1800' } }, now, bounds })).toBe(30 * M);
    expect(nextPollDelay({ intervalMs: 15 * M, hints: { headers: { expires: 'Tue, 24 Nov 2026 14:00:00 GMT' } }, now, bounds })).toBe(120 * M);
    expect(nextPollDelay({ intervalMs: 15 * M, hints: { headers: { 'retry-after': '5400' } }, now, bounds })).toBe(90 * M);
    // Hints shorter than our interval never speed us up.
    expect(nextPollDelay({ intervalMs: 15 * M, hints: { ttlMs: 5 * M, headers: { 'cache-control': 'max-age=60' } }, now, bounds })).toBe(15 * M);
  });

  it('clamps to the floor and the ceiling', () => {
    expect(nextPollDelay({ intervalMs: 10_000, now, bounds })).toBe(60_000);
    expect(nextPollDelay({ intervalMs: 15 * M, hints: { ttlMs: 7 * 24 * 60 * M }, now, bounds })).toBe(bounds.ceiling);
  });

  it('polls busy feeds up to twice as often and quiet ones down to a quarter as often', () => {
    expect(adaptiveIntervalMs(15 * M, null)).toBe(15 * M);
    expect(adaptiveIntervalMs(15 * M, 4 * M)).toBe(7.5 * M);
    expect(adaptiveIntervalMs(15 * M, 40 * M)).toBe(20 * M);
    expect(adaptiveIntervalMs(15 * M, 24 * 60 * M)).toBe(60 * M);
    expect(nextPollDelay({ intervalMs: 15 * M, rhythmMs: 24 * 60 * M, now, bounds })).toBe(60 * M);
  });
});

describe('failureBackoffDelay', () => {
  it('doubles per consecutive failure up to the ceiling and respects Retry-After', () => {
    const delays = [1, 2, 3, 4, 5, 6, 40].map((n) => failureBackoffDelay({ intervalMs: 15 * M, consecutiveFailures: n, bounds }));
    expect(delays).toEqual([15 * M, 30 * M, 60 * M, 120 * M, 240 * M, 480 * M, bounds.ceiling]);
    expect(failureBackoffDelay({ intervalMs: 15 * M, consecutiveFailures: 1, retryAfterMs: 3 * 3_600_000, bounds })).toBe(3 * 3_600_000);
  });
});

describe('header hints', () => {
  it('reads max-age, Expires and Retry-After', () => {
    expect(maxAgeMs('no-cache')).toBeNull();
    expect(maxAgeMs('s-maxage=600, public')).toBe(600_000);
    expect(expiresInMs('Tue, 24 Nov 2026 11:00:00 GMT', now)).toBeNull();
    expect(expiresInMs('0', now)).toBeNull();
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Tue, 24 Nov 2026 12:10:00 GMT', now)).toBe(600_000);
    expect(retryAfterMs('soon', now)).toBeNull();
  });

  it('tracks the rhythm of new items as a moving average', () => {
    const last = new Date(now.getTime() - 60 * M);
    expect(updateRhythm(null, null, now)).toBeNull();
    expect(updateRhythm(null, last, now)).toBe(60 * M);
    expect(updateRhythm(10 * M, last, now)).toBe(Math.round(0.3 * 60 * M + 0.7 * 10 * M));
  });

  it('asks for an unconditional fetch every N polls', () => {
    expect([0, 1, 2, 3].map((n) => shouldPollUnconditionally(n, 3))).toEqual([false, false, true, true]);
    expect(shouldPollUnconditionally(0, 1)).toBe(true);
  });
});
