import { describe, expect, it } from 'vitest';
import { attemptsFor, receiverRetryAfterMs, scheduledDelay } from '../../../src/alerts/retry-schedule.js';
import { settingsFileSchema } from '../../../src/config/settings-schema.js';

const SPEC = settingsFileSchema.parse({}).alerts.retrySchedule;

describe('webhook retry schedule', () => {
  it('defaults to the Standard Webhooks schedule: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
    expect(SPEC).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(attemptsFor(SPEC)).toBe(8);
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => scheduledDelay(SPEC, n, 0))).toEqual(SPEC);
  });

  it('jitters each delay within ±20 % and repeats the last delay past the end', () => {
    expect(scheduledDelay(SPEC, 2, 0.2, () => 0)).toBe(240_000);
    expect(scheduledDelay(SPEC, 2, 0.2, () => 1)).toBe(360_000);
    expect(scheduledDelay(SPEC, 2, 0.2, () => 0.5)).toBe(300_000);
    expect(scheduledDelay(SPEC, 12, 0)).toBe(36_000_000);
    expect(scheduledDelay([], 1)).toBe(0);
  });

  it('is configurable in settings.yaml with durations', () => {
    expect(settingsFileSchema.parse({ alerts: { retrySchedule: ['100ms', '1s'] } }).alerts.retrySchedule).toEqual([100, 1_000]);
  });
});

describe('Retry-After', () => {
  const now = new Date('2026-11-24T12:00:00Z');
  it('reads delay-seconds and HTTP dates', () => {
    expect(receiverRetryAfterMs('120', now)).toBe(120_000);
    expect(receiverRetryAfterMs('Tue, 24 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
  });
  it('clamps to between one second and one day; ignores what it cannot read', () => {
    expect(receiverRetryAfterMs('0', now)).toBe(1_000);
    expect(receiverRetryAfterMs('Tue, 24 Nov 2026 11:00:00 GMT', now)).toBe(1_000);
    expect(receiverRetryAfterMs('999999', now)).toBe(86_400_000);
    expect(receiverRetryAfterMs('soon', now)).toBeNull();
    expect(receiverRetryAfterMs(undefined, now)).toBeNull();
  });
});
