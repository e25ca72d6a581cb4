import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedConfig } from '../../../src/domain/types.js';
import { offsetFor, syncFeedSchedulers, tickFor } from '../../../src/service/feed-scheduler.js';
import { checkRedisDurability } from '../../../src/service/redis-checks.js';
import { TEST_REDIS_URL, testRedisPrefix } from '../../helpers/redis.js';

const { prefix, cleanup } = testRedisPrefix('feed-scheduler');
let redis: Redis;
let queue: Queue;

const feed = (id: string, intervalMs = 900_000): FeedConfig => ({ id, url: `https://${id}.example/feed`, name: id, intervalMs, tags: [], request: {} });

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  queue = new Queue('poll', { connection: redis, prefix });
});
afterAll(async () => {
  await queue.close();
  redis.disconnect();
  await cleanup();
});

describe('feed schedulers', () => {
  it('keeps exactly one scheduler per feed however many schedulers sync', async () => {
    const feeds = [feed('a'), feed('b'), feed('c', 60_000)];
    await syncFeedSchedulers(queue, feeds, 60_000);
    await syncFeedSchedulers(queue, feeds, 60_000);
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key).sort()).toEqual(['feed-a', 'feed-b', 'feed-c']);
    expect(schedulers.find((s) => s.key === 'feed-a')?.every).toBe(450_000);
    // One scheduled poll per feed, not one per sync. A scheduled poll may come due while the test runs,
    // so it is counted wherever it is.
    const scheduled = await queue.getJobs(['delayed', 'waiting']);
    expect(scheduled.filter((j) => j.data.feedId === 'a' && !j.id?.startsWith('poll-first-'))).toHaveLength(1);
  });

  it('polls a feed at once when its scheduler is new, not at the first tick (up to half the interval away)', async () => {
    // Only the first polls: feed c's scheduled poll (60 s tick) may itself come due during the run.
    const waiting = async () =>
      (await queue.getJobs(['waiting']))
        .map((j) => j.id ?? '')
        .filter((id) => id.startsWith('poll-first-'))
        .sort();
    // The three feeds of the first test got their first poll when their schedulers were created, once.
    expect(await waiting()).toEqual(['poll-first-a', 'poll-first-b', 'poll-first-c']);
    const result = await syncFeedSchedulers(queue, [feed('a'), feed('b'), feed('c', 60_000), feed('d')], 60_000);
    expect(result.polledNow).toEqual(['d']);
    expect(await waiting()).toEqual(['poll-first-a', 'poll-first-b', 'poll-first-c', 'poll-first-d']);
    await queue.drain();
  });

  it('drops the schedulers of feeds removed from the config', async () => {
    const result = await syncFeedSchedulers(queue, [feed('a')], 60_000);
    expect(result.removed.sort()).toEqual(['b', 'c', 'd']);
    expect(result.polledNow).toEqual([]);
    expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual(['feed-a']);
  });

  it('spreads feeds across their tick and respects the floor', () => {
    expect(tickFor(feed('x', 30_000), 60_000)).toBe(60_000);
    const offsets = new Set(['a', 'b', 'c', 'd', 'e'].map((id) => offsetFor(id, 450_000)));
    expect(offsets.size).toBe(5);
    for (const o of offsets) expect(o).toBeLessThan(450_000);
  });
});

describe('Redis durability check', () => {
  it('reports the eviction policy and persistence it finds', async () => {
    const report = await checkRedisDurability(redis);
    const info = await redis.info('persistence');
    expect(report.persistence.aof).toBe(/aof_enabled:1/.test(info));
    const policy = /maxmemory_policy:(\S+)/.exec(await redis.info('memory'))?.[1];
    expect(report.evictionPolicy).toBe(policy);
    expect(report.warnings.some((w) => /persistence is off/.test(w))).toBe(!report.persistence.aof && !report.persistence.rdb);
  });
});
