import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedHealthEventsFrom } from '../../../src/alerts/feed-health-source.js';
import { systemClock } from '../../../src/domain/types.js';
import { silentLogger } from '../../../src/obs/logger.js';
import { Metrics } from '../../../src/obs/metrics.js';
import { jobIds } from '../../../src/queues/definitions.js';
import { QueueClient } from '../../../src/queues/queue-client.js';
import { pgAlertStorage } from '../../../src/store/alert-storage.js';
import { ArticleStore } from '../../../src/store/article-store.js';
import { createAlertWorker } from '../../../src/workers/alert-worker.js';
import { createDeliverWorker } from '../../../src/workers/deliver-worker.js';
import { TEST_REDIS_URL, testRedisPrefix } from '../../helpers/redis.js';
import { waitFor } from '../../helpers/wait-for.js';
import { classification, extracted, label, work } from '../store/work-fixtures.js';
import { openTestDb, ruleSet, SECRET, startReceiver, testFetcher } from './alert-env.js';

const { prefix, cleanup } = testRedisPrefix('alert-worker');
const fetcher = testFetcher();
const metrics = new Metrics({ processMetrics: false });
let env: Awaited<ReturnType<typeof openTestDb>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let redis: Redis;
let queues: QueueClient;
let workers: Worker[];
let articles: ArticleStore;

const TEXT = 'The EU imposed sanctions on three drone exporters on Monday. Officials said more measures would follow within weeks.';

beforeAll(async () => {
  env = await openTestDb('alert_worker');
  articles = new ArticleStore(env.db);
  receiver = await startReceiver();
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  queues = new QueueClient(redis, prefix);
  const set = ruleSet({
    endpoints: [{ id: 'hook', url: receiver.url, secret: SECRET }],
    rules: [
      { id: 'sanctions', labels: ['targeted-sanctions'], endpoints: ['hook'] },
      { id: 'cyber-digest', labels: ['cybersecurity'], digest: { window: '2s' }, endpoints: ['hook'] },
      { id: 'feeds', events: ['feed.health'], healthStates: ['failing'], endpoints: ['hook'] },
    ],
  });
  const common = { connection: redis, prefix, concurrency: 2, logger: silentLogger, metrics, queues };
  const healthEvents = new Map([['ev-1', { id: 'ev-1', feedId: 'feed-1', kind: 'failing', from: 'degraded' as const, to: 'failing' as const, at: '2026-11-24T12:00:00Z', message: 'HTTP 503 for 25 hours' }]]);
  workers = [
    createAlertWorker({
      ...common,
      alert: { storage: pgAlertStorage(env.db), rules: () => set, clock: systemClock, publicUrl: 'https://fw.example' },
      articles,
      feedHealth: feedHealthEventsFrom({ getHealthEvent: async (id) => healthEvents.get(id) ?? null }, (id) => (id === 'feed-1' ? 'Feed One' : undefined)),
      deliveryAttempts: 3,
    }),
    createDeliverWorker({
      ...common,
      deliver: { storage: pgAlertStorage(env.db), fetcher, rules: () => set, clock: systemClock, timeoutMs: 5_000, publicUrl: 'https://fw.example' },
      retrySchedule: [200, 200],
      jitter: 0,
    }),
  ];
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await queues.close();
  redis.disconnect();
  await cleanup();
  await receiver.server.close();
  await fetcher.close();
  await env.drop();
});

const ofType = (type: string) => receiver.received.filter((r) => (JSON.parse(r.body) as { type: string }).type === type);

describe('alert → deliver on real Redis', () => {
  it('a stored article matching a rule reaches the receiver once, signed, even when its alert job runs twice', async () => {
    await articles.saveArticle({ ...work('w-1', { text: TEXT, title: 'EU sanctions drone exporters' }), extracted: extracted(TEXT), classification: classification([label('targeted-sanctions', 0.85, ['policy-focuses'], TEXT)]) });
    await queues.add('alert', { kind: 'article', articleId: 'w-1' }, { jobId: jobIds.alertArticle('w-1', 'rev1') });
    // A second revision of the same article (labels re-scored) is a new alert job, but not a new alert.
    await queues.add('alert', { kind: 'article', articleId: 'w-1' }, { jobId: jobIds.alertArticle('w-1', 'rev2') });
    await waitFor(() => ofType('article.matched').length > 0, { timeoutMs: 15_000, what: 'webhook' });
    await waitFor(async () => ((await queues.queue('alert').getJobCounts('completed')).completed ?? 0) >= 2, { timeoutMs: 15_000, what: 'both alert jobs' });
    await new Promise((r) => setTimeout(r, 500));
    const got = ofType('article.matched');
    expect(got).toHaveLength(1);
    expect(got[0]?.verified).toBe(true);
    expect(JSON.parse(got[0]!.body).data.article).toMatchObject({ id: 'w-1', title: 'EU sanctions drone exporters', feeds: [{ id: 'feed-1', name: 'Feed feed-1' }] });
  });

  it('a digest rule sends one article.digest when its window closes (a delayed job)', async () => {
    for (const id of ['d-1', 'd-2']) {
      const text = `Hackers ${id === 'd-1' ? 'disrupted a grid operator in the north' : 'stole data from a ministry of defence contractor'} on Tuesday, officials said.`;
      await articles.saveArticle({ ...work(id, { text, title: `Cyber incident ${id}` }), extracted: extracted(text), classification: classification([label('cybersecurity', 0.7, ['aspects'], text)]) });
      await queues.add('alert', { kind: 'article', articleId: id }, { jobId: jobIds.alertArticle(id, 'r') });
    }
    const digested = () => ofType('article.digest').flatMap((r) => (JSON.parse(r.body) as { data: { articles: { id: string }[] } }).data.articles.map((a) => a.id));
    // Both articles normally share a 2 s window; one landing just past a boundary goes to the next digest.
    await waitFor(() => digested().length >= 2, { timeoutMs: 15_000, what: 'digests listing both articles' });
    const all = digested();
    expect(all.sort()).toEqual(['d-1', 'd-2']);
  });

  it('a feed health event goes out as feed.health', async () => {
    await queues.add('alert', { kind: 'feed-health', feedId: 'feed-1', eventId: 'ev-1' }, { jobId: jobIds.alertFeedHealth('ev-1') });
    await waitFor(() => ofType('feed.health').length > 0, { timeoutMs: 15_000, what: 'feed.health webhook' });
    expect(JSON.parse(ofType('feed.health')[0]!.body).data).toMatchObject({ feed: { id: 'feed-1', name: 'Feed One' }, state: 'failing', previousState: 'degraded', reason: 'HTTP 503 for 25 hours', kind: 'failing' });
  });
});
