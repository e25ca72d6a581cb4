import { QueueEvents, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedItem } from '../../../src/domain/types.js';
import { RedisCanonicalClaims } from '../../../src/feeds/canonical-claims.js';
import { createSafeFetcher, type ClosableSafeFetcher } from '../../../src/fetch/index.js';
import { silentLogger } from '../../../src/obs/logger.js';
import { Metrics } from '../../../src/obs/metrics.js';
import { jobIds } from '../../../src/queues/definitions.js';
import { QueueClient } from '../../../src/queues/queue-client.js';
import { RedisWorkStore } from '../../../src/queues/work-store.js';
import { createExtractWorker } from '../../../src/workers/extract-worker.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { TEST_REDIS_URL, testRedisPrefix } from '../../helpers/redis.js';

const { prefix, cleanup } = testRedisPrefix('extract-canonical');
let redis: Redis;
let site: FixtureServer;
let fetcher: ClosableSafeFetcher;
let queues: QueueClient;
let worker: Worker;
let events: QueueEvents;
const work = () => new RedisWorkStore(redis, prefix);

const paragraph = 'The Council of the European Union adopted a further package of restrictive measures against Russia, including an asset freeze and export controls on dual-use goods. ';
const page = (canonical: string) =>
  `<!doctype html><html lang="en"><head><title>EU adopts sanctions package</title><link rel="canonical" href="${canonical}"></head><body><article><h1>EU adopts sanctions package</h1><p>${paragraph.repeat(3)}</p><p>${paragraph.repeat(2)}</p><p>${paragraph}</p></article></body></html>`;

const item = (link: string): FeedItem => ({ guid: link, link, title: 'EU adopts sanctions package', publishedAt: null, summary: 'Sanctions package.', contentHtml: null, author: null, categories: [], enclosures: [] });

beforeAll(async () => {
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  site = await startFixtureServer();
  site.route('/story?ref=rss', (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end(page('https://news.example/story-1')));
  site.route('/m/story', (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end(page('https://news.example/story-1#top')));
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
    work: work(),
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

describe('extract: pages naming the same rel=canonical address', () => {
  it('are one article: the second one’s feeds are added to the first, which alone goes on to classify', async () => {
    const store = work();
    const a = `${site.origin}/story?ref=rss`;
    const b = `${site.origin}/m/story`;
    await store.addSighting({ id: 'art-a', canonicalUrl: a, item: item(a), sighting: { feedId: 'feed-a', feedName: 'A', link: a, guid: a, seenAt: '2025-01-01T00:00:00.000Z' } });
    await store.addSighting({ id: 'art-b', canonicalUrl: b, item: item(b), sighting: { feedId: 'feed-b', feedName: 'B', link: b, guid: b, seenAt: '2025-01-01T00:00:01.000Z' } });

    const first = await queues.queue('extract').add('extract', { articleId: 'art-a' }, { jobId: jobIds.extract('art-a') });
    await first.waitUntilFinished(events, 15_000);
    const second = await queues.queue('extract').add('extract', { articleId: 'art-b' }, { jobId: jobIds.extract('art-b') });
    const result = (await second.waitUntilFinished(events, 15_000)) as { duplicateOf?: string };

    expect(result.duplicateOf).toBe('art-a');
    expect((await store.get('art-a'))?.sightings.map((s) => s.feedId)).toEqual(['feed-a', 'feed-b']);
    const classify = await queues.queue('classify').getJobs(['waiting', 'delayed', 'active', 'completed']);
    expect(classify.map((j) => j.data.articleId)).toEqual(['art-a']);
    const stores = await queues.queue('store').getJobs(['waiting', 'delayed']);
    expect(stores.map((j) => j.data.articleId)).toEqual(['art-a']);
    expect((await store.get('art-b'))?.trace.at(-1)?.reason).toMatch(/duplicate of art-a/);
  });
});
