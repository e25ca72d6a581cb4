import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisSeenItems } from '../../../src/feeds/seen-items.js';
import { RedisTitleIndex } from '../../../src/feeds/title-index.js';
import { TEST_REDIS_URL, testRedisPrefix } from '../../helpers/redis.js';

const { prefix, cleanup } = testRedisPrefix('feed-indexes');
let redis: Redis;

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
});

afterAll(async () => {
  redis.disconnect();
  await cleanup();
});

describe('RedisSeenItems', () => {
  it('tells fresh from changed from known entries, per feed', async () => {
    const seen = new RedisSeenItems(redis, { prefix });
    const a = { key: 'a', fingerprint: '1' };
    const b = { key: 'b', fingerprint: '1' };
    expect(await seen.check('f1', [a, b])).toMatchObject({ fresh: ['a', 'b'], changed: [] });
    await seen.record('f1', [a, b]);
    expect(await seen.check('f1', [a, { key: 'b', fingerprint: '2' }, { key: 'c', fingerprint: '1' }])).toMatchObject({ fresh: ['c'], changed: ['b'] });
    expect(await seen.check('f2', [a])).toMatchObject({ fresh: ['a'], changed: [] });
    await seen.record('f2', [{ key: 'x', fingerprint: '1', articleId: 'article-x' }]);
    expect(await seen.check('f2', [{ key: 'x', fingerprint: '1' }])).toEqual({ fresh: [], changed: [], articleIds: {} });
    expect(await seen.check('f2', [{ key: 'x', fingerprint: '2' }])).toEqual({ fresh: [], changed: ['x'], articleIds: { x: 'article-x' } });
    await seen.forget('f1');
    expect((await seen.check('f1', [a])).fresh).toEqual(['a']);
  });

  it('keeps only the newest keys of a feed', async () => {
    let t = 1_000;
    const seen = new RedisSeenItems(redis, { prefix, maxPerFeed: 3, now: () => t });
    for (const key of ['k1', 'k2', 'k3', 'k4', 'k5']) {
      t += 1;
      await seen.record('trim', [{ key, fingerprint: 'x' }]);
    }
    const { fresh } = await seen.check('trim', ['k1', 'k2', 'k3', 'k4', 'k5'].map((key) => ({ key, fingerprint: 'x' })));
    expect(fresh).toEqual(['k1', 'k2']);
    expect(await redis.hlen(`${prefix}:seen:trim:fp`)).toBe(3);
  });
});

describe('RedisTitleIndex', () => {
  it('the first article claims a headline; copies within the window point at it; the window expires', async () => {
    const titles = new RedisTitleIndex(redis, { prefix, windowMs: 200 });
    const headline = 'Germany pledges new air defence systems for Ukraine';
    expect(await titles.claim(headline, 'first')).toBeNull();
    expect(await titles.claim(headline, 'first')).toBeNull();
    expect(await titles.claim(`${headline} | Other Outlet`, 'second')).toBe('first');
    expect(await titles.claim('Live updates', 'x')).toBeNull();
    expect(await titles.claim('Live updates', 'y')).toBeNull();
    await new Promise((r) => setTimeout(r, 500));
    expect(await titles.claim(headline, 'third')).toBeNull();
  });
});
