import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthEventFor } from '../../../src/feeds/health.js';
import type { FeedState } from '../../../src/domain/feed-state.js';
import { healthOf, initialFeedState } from '../../../src/feeds/feed-state.js';
import { FeedStateStore } from '../../../src/store/feed-state-store.js';
import { migrate } from '../../../src/store/migrate.js';
import { BACKENDS, type TestDb } from '../store/backends.js';

/** The service keeps feed state in PostgreSQL; `scan` keeps it in embedded PGlite: both must round-trip it. */
describe.each(BACKENDS)('FeedStateStore on $name', (backend) => {
  let t: TestDb;
  let store: FeedStateStore;
  beforeAll(async () => {
    t = await backend.open('feed_state');
    await migrate(t.db);
    store = new FeedStateStore(t.db);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('round-trips every field of a feed state, and overwrites on save', async () => {
    const at = (s: string) => new Date(`2026-11-24T${s}Z`);
    const state: FeedState = {
      ...initialFeedState('f-1', 'https://example.org/rss'),
      etag: 'W/"abc"',
      lastModified: 'Tue, 24 Nov 2026 10:00:00 GMT',
      polls: 12,
      pollsSinceUnconditional: 3,
      lastPolledAt: at('10:00:00.123'),
      lastSuccessAt: at('09:00:00'),
      lastHttpStatus: 503,
      lastNewItemAt: at('08:00:00'),
      rhythmMs: 5_400_000_000,
      itemsSeen: 3_000_000_000,
      consecutiveFailures: 2,
      failingSince: at('09:30:00'),
      lastError: { class: 'transient', message: 'HTTP 503', status: 503 },
      lastErrorAt: at('10:00:00.123'),
      healthState: 'degraded',
      nextPollAt: at('10:30:00'),
      intervalMs: 900_000,
      publisherHintMs: 3_600_000,
    };
    expect(await store.get('f-1')).toBeNull();
    await store.save(state);
    expect(await store.get('f-1')).toEqual(state);
    const recovered: FeedState = { ...state, consecutiveFailures: 0, failingSince: null, lastError: null, lastErrorAt: null, healthState: 'ok', rhythmMs: null };
    await store.save(recovered);
    expect(await store.get('f-1')).toEqual(recovered);
    expect(healthOf(recovered)).toMatchObject({ state: 'ok', lastError: null, itemsSeen: 3_000_000_000 });
  });

  it('lists states by id and records each health event once', async () => {
    await store.save(initialFeedState('f-2', 'https://example.org/2'));
    expect([...(await store.list(['f-1', 'f-2', 'missing'])).keys()].sort()).toEqual(['f-1', 'f-2']);
    expect((await store.list()).size).toBe(2);
    const now = new Date('2026-11-25T00:00:00Z');
    const event = healthEventFor('f-2', 'degraded', 'failing', now, { error: { class: 'bot-wall', message: 'challenge', status: 403 }, lastNewItemAt: null });
    if (!event) throw new Error('no event');
    await store.recordHealthEvent(event);
    await store.recordHealthEvent(event);
    expect(await store.recentHealthEvents('f-2')).toEqual([event]);
    expect(await store.getHealthEvent(event.id)).toEqual(event);
    expect(await store.getHealthEvent('nope')).toBeNull();
  });
});
