import { QueueEvents, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock, type FeedItem } from '../../../src/domain/types.js';
import { RedisCanonicalClaims } from '../../../src/feeds/canonical-claims.js';
import { createSafeFetcher, type ClosableSafeFetcher } from '../../../src/fetch/index.js';
import { silentLogger } from '../../../src/obs/logger.js';
import { Metrics } from '../../../src/obs/metrics.js';
import { MAX_PAGE_DEFERRALS, runExtractJob, type ExtractJobDeps } from '../../../src/pipeline/extract.js';
import { jobIds, type Enqueue } from '../../../src/queues/definitions.js';
import { MemoryWorkStore } from '../../../src/queues/memory-work-store.js';
import { QueueClient } from '../../../src/queues/queue-client.js';
import { RedisWorkStore } from '../../../src/queues/work-store.js';
import { createExtractWorker } from '../../../src/workers/extract-worker.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { TEST_REDIS_URL, testRedisPrefix } from '../../helpers/redis.js';

const { prefix, cleanup } = testRedisPrefix('extract-retry-after');
let redis: Redis;
let site: FixtureServer;
let fetcher: ClosableSafeFetcher;
let queues: QueueClient;
let worker: Worker;
let events: QueueEvents;

const paragraph = 'The Council of the European Union adopted a further package of restrictive measures against Russia, including an asset freeze and export controls on dual-use goods. ';
const PAGE = `<!doctype html><html lang="en"><head><title>EU adopts sanctions package</title></head><body><article><h1>EU adopts sanctions package</h1><p>${paragraph.repeat(3)}</p><p>${paragraph.repeat(2)}</p></article></body></html>`;

const item = (link: string): FeedItem => ({ guid: link, link, title: 'EU adopts sanctions package', publishedAt: null, summary: 'Sanctions package.', contentHtml: null, author: null, categories: [], enclosures: [] });
const sighting = (link: string) => ({ feedId: 'feed-a', feedName: 'A', link, guid: link, seenAt: '2025-01-01T00:00:00.000Z' });

/** Serves `path`: 429 with Retry-After: 1 for the first `busy` requests, then the article. */
function busyThenUp(path: string, busy: number): void {
  let n = 0;
  site.route(path, (_req, res) => {
    n++;
    if (n <= busy) return void res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/plain' }).end('slow down');
    res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
  });
}

beforeAll(async () => {
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  site = await startFixtureServer();
  fetcher = createSafeFetcher({ allowPrivateNetworks: true, userAgent: 'test', timeoutMs: 5_000, maxBytes: 1_000_000, maxRedirects: 3 });
  queues = new QueueClient(redis, prefix);
  events = new QueueEvents('extract', { connection: redis.duplicate(), prefix });
  await events.waitUntilReady();
  worker = createExtractWorker({
    connection: redis,
    prefix,
    concurrency: 1,
    logger: silentLogger,
    metrics: new Metrics({ processMetrics: false }),
    work: new RedisWorkStore(redis, prefix),
    queues,
    fetcher,
    canonicals: new RedisCanonicalClaims(redis, prefix),
    extract: { engine: 'linkedom', minConfidence: 0.5 },
  });
});
afterAll(async () => {
  await worker.close();
  await events.close();
  await queues.close();
  await fetcher.close();
  await site.close();
  redis.disconnect();
  await cleanup();
});

describe('extract: a page answering 429 with Retry-After', () => {
  it('delays the job without spending an attempt, as deliver does', async () => {
    busyThenUp('/busy-story', 2);
    const url = `${site.origin}/busy-story`;
    const work = new RedisWorkStore(redis, prefix);
    await work.addSighting({ id: 'art-busy', canonicalUrl: url, item: item(url), sighting: sighting(url) });
    // One attempt only: if a 429 spent it, the article would fall back to the feed's summary at once.
    const job = await queues.queue('extract').add('extract', { articleId: 'art-busy' }, { jobId: jobIds.extract('art-busy'), attempts: 1 });
    const result = (await job.waitUntilFinished(events, 20_000)) as { method?: string };

    expect(result.method).toBe('readability');
    const requests = site.requests.filter((r) => r.path === '/busy-story');
    expect(requests).toHaveLength(3);
    expect(requests[2]!.at - requests[1]!.at).toBeGreaterThanOrEqual(900);
    expect((await work.get('art-busy'))?.extracted?.method).toBe('readability');
  });
});

describe('runExtractJob and Retry-After', () => {
  const deps = (handed: string[]): ExtractJobDeps => {
    const enqueue: Enqueue = async (queue) => void handed.push(queue);
    return { work: new MemoryWorkStore(), enqueue, clock: systemClock, canonicals: { claim: async () => null }, extract: { fetcher, engine: 'linkedom', minConfidence: 0.5 } };
  };

  it('asks for a delay (clamped to at least a second) and hands nothing on', async () => {
    busyThenUp('/always-busy', Infinity);
    const url = `${site.origin}/always-busy`;
    const handed: string[] = [];
    const d = deps(handed);
    await d.work.addSighting({ id: 'a1', canonicalUrl: url, item: item(url), sighting: sighting(url) });
    expect(await runExtractJob('a1', { last: true, deferred: 0 }, d)).toEqual({ next: 'later', delayMs: 1_000, reason: 'article page asked to retry in 1000 ms' });
    expect(handed).toEqual([]);
    expect((await d.work.get('a1'))?.extracted).toBeUndefined();
  });

  it(`stops deferring after ${MAX_PAGE_DEFERRALS} waits: the last attempt falls back to the feed's text`, async () => {
    const url = `${site.origin}/always-busy`;
    const handed: string[] = [];
    const d = deps(handed);
    await d.work.addSighting({ id: 'a2', canonicalUrl: url, item: item(url), sighting: sighting(url) });
    const result = await runExtractJob('a2', { last: true, deferred: MAX_PAGE_DEFERRALS }, d);
    expect(result).toMatchObject({ next: 'done', method: 'feed-summary' });
    expect((await d.work.get('a2'))?.extracted?.flags).toEqual(expect.arrayContaining(['fetch-failed', 'retries-exhausted']));
    expect(handed).toEqual(['classify']);
  });
});
