import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleSighting, FeedItem } from '../../../src/domain/types.js';
import { MissingWorkError, RedisWorkStore } from '../../../src/queues/work-store.js';
import { TEST_REDIS_URL, testRedisPrefix } from '../../helpers/redis.js';

const { prefix, cleanup } = testRedisPrefix('work-store');
let redis: Redis;
let store: RedisWorkStore;

const item: FeedItem = {
  guid: 'g-1',
  link: 'https://news.example/a',
  title: 'Sanctions on Russia eased',
  publishedAt: '2025-01-01T00:00:00.000Z',
  summary: 'summary',
  contentHtml: null,
  author: null,
  categories: [],
  enclosures: [],
};
const sighting = (feedId: string, seenAt: string): ArticleSighting => ({ feedId, feedName: feedId, link: item.link, guid: item.guid, seenAt });

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
  store = new RedisWorkStore(redis, prefix);
});
afterAll(async () => {
  redis.disconnect();
  await cleanup();
});

describe('RedisWorkStore', () => {
  it('creates a document once and records every feed that saw the article', async () => {
    const first = await store.addSighting({ id: 'a1', canonicalUrl: 'https://news.example/a', item, sighting: sighting('feed-a', '2025-01-01T00:00:01.000Z') });
    const again = await store.addSighting({ id: 'a1', canonicalUrl: 'https://news.example/a', item, sighting: sighting('feed-a', '2025-01-01T00:00:05.000Z') });
    const second = await store.addSighting({ id: 'a1', canonicalUrl: 'https://news.example/a', item, sighting: sighting('feed-b', '2025-01-01T00:00:02.000Z') });
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(second.created).toBe(false);
    expect(second.work.sightings.map((s) => s.feedId)).toEqual(['feed-a', 'feed-b']);
    expect(second.work.firstSeenAt).toBe('2025-01-01T00:00:01.000Z');
  });

  it('keeps concurrent sightings from many pollers', async () => {
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        store.addSighting({ id: 'a2', canonicalUrl: 'https://news.example/b', item, sighting: sighting(`feed-${i}`, new Date(1_700_000_000_000 + i).toISOString()) }),
      ),
    );
    const work = await store.get('a2');
    expect(work?.sightings).toHaveLength(25);
  });

  it('sets stage results and appends the trace in order', async () => {
    await store.addSighting({ id: 'a3', canonicalUrl: 'https://news.example/c', item, sighting: sighting('feed-a', '2025-01-01T00:00:00.000Z') });
    const extracted = await store.setExtracted(
      'a3',
      {
        text: 'body', html: null, title: 't', byline: null, publishedAt: null, modifiedAt: null, lang: 'en', siteName: null,
        canonicalUrl: null, leadImage: null, wordCount: 1, method: 'feed-summary', confidence: 0.2, flags: ['fetch-failed'], fallbackReason: 'HTTP 404',
      },
      { stage: 'extract', at: '2025-01-01T00:00:00.000Z', durationMs: 3, outcome: 'fallback', reason: 'HTTP 404' },
    );
    expect(extracted.extracted?.method).toBe('feed-summary');
    const classified = await store.setClassification(
      'a3',
      { labels: [], relevance: 0.1, framework: 'fw-1', model: 'm-1' },
      { stage: 'classify', at: '2025-01-01T00:00:01.000Z', durationMs: 1, outcome: 'ok' },
    );
    expect(classified.classification?.model).toBe('m-1');
    expect(classified.trace.map((t) => t.stage)).toEqual(['extract', 'classify']);
  });

  it('refuses to update a document that does not exist', async () => {
    await expect(
      store.setClassification('missing', { labels: [], relevance: 0, framework: 'f', model: 'm' }, { stage: 'classify', at: '', durationMs: 0, outcome: 'ok' }),
    ).rejects.toBeInstanceOf(MissingWorkError);
    expect(await store.get('missing')).toBeNull();
  });

  it('expires documents so Redis does not grow without bound', async () => {
    await store.addSighting({ id: 'a4', canonicalUrl: 'https://news.example/d', item, sighting: sighting('feed-a', '2025-01-01T00:00:00.000Z') });
    const ttl = await redis.ttl(`${prefix}:work:a4`);
    expect(ttl).toBeGreaterThan(0);
  });
});
