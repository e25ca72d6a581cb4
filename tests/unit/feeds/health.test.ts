import { describe, expect, it } from 'vitest';
import { healthEventFor, healthStateOf } from '../../../src/feeds/health.js';

const now = new Date('2026-11-24T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const H = 3_600_000;
const base = { lastSuccessAt: ago(H), consecutiveFailures: 0, failingSince: null, lastNewItemAt: ago(H), rhythmMs: H };

describe('healthStateOf', () => {
  it('new → ok → degraded → failing after a day of failures', () => {
    expect(healthStateOf({ ...base, lastSuccessAt: null, lastNewItemAt: null, rhythmMs: null }, now)).toBe('new');
    expect(healthStateOf(base, now)).toBe('ok');
    expect(healthStateOf({ ...base, consecutiveFailures: 5, failingSince: ago(23 * H) }, now)).toBe('degraded');
    expect(healthStateOf({ ...base, consecutiveFailures: 5, failingSince: ago(24 * H) }, now)).toBe('failing');
  });

  it('quiet only when the silence is far beyond the usual rhythm (and at least two days)', () => {
    expect(healthStateOf({ ...base, lastNewItemAt: ago(47 * H) }, now)).toBe('ok');
    expect(healthStateOf({ ...base, lastNewItemAt: ago(49 * H) }, now)).toBe('quiet');
    // A weekly feed is not quiet after three days.
    expect(healthStateOf({ ...base, rhythmMs: 7 * 24 * H, lastNewItemAt: ago(3 * 24 * H) }, now)).toBe('ok');
    expect(healthStateOf({ ...base, rhythmMs: 7 * 24 * H, lastNewItemAt: ago(29 * 24 * H) }, now)).toBe('quiet');
    // Without a known rhythm there is no "usual".
    expect(healthStateOf({ ...base, rhythmMs: null, lastNewItemAt: ago(90 * 24 * H) }, now)).toBe('ok');
  });
});

describe('healthEventFor', () => {
  const details = { error: { class: 'transient' as const, message: 'HTTP 502', status: 502 }, lastNewItemAt: ago(H) };
  it('raises failing, quiet and recovered; not for blips', () => {
    expect(healthEventFor('f', 'degraded', 'failing', now, details)).toMatchObject({ type: 'feed.health', kind: 'failing', error: { status: 502 } });
    expect(healthEventFor('f', 'ok', 'quiet', now, details)).toMatchObject({ kind: 'quiet', error: null });
    expect(healthEventFor('f', 'failing', 'ok', now, details)).toMatchObject({ kind: 'recovered' });
    expect(healthEventFor('f', 'quiet', 'ok', now, details)).toMatchObject({ kind: 'recovered' });
    expect(healthEventFor('f', 'ok', 'degraded', now, details)).toBeNull();
    expect(healthEventFor('f', 'degraded', 'ok', now, details)).toBeNull();
    expect(healthEventFor('f', 'failing', 'failing', now, details)).toBeNull();
  });

  it('gives one transition one stable id', () => {
    const a = healthEventFor('f', 'degraded', 'failing', now, details);
    const b = healthEventFor('f', 'degraded', 'failing', now, details);
    const c = healthEventFor('g', 'degraded', 'failing', now, details);
    expect(a?.id).toBe(b?.id);
    expect(a?.id).not.toBe(c?.id);
  });
});
