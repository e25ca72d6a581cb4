import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveries } from '../../../src/alerts/delivery-factory.js';
import { articleMatchedEvent, summarizeArticle } from '../../../src/alerts/payload.js';
import { attemptsFor } from '../../../src/alerts/retry-schedule.js';
import { systemClock } from '../../../src/domain/types.js';
import { silentLogger } from '../../../src/obs/logger.js';
import { Metrics } from '../../../src/obs/metrics.js';
import { enqueueDeliveries } from '../../../src/pipeline/deliver.js';
import { QueueClient } from '../../../src/queues/queue-client.js';
import { pgAlertStorage } from '../../../src/store/alert-storage.js';
import { DeliveryStore } from '../../../src/store/delivery-store.js';
import { createDeliverWorker } from '../../../src/workers/deliver-worker.js';
import { TEST_REDIS_URL, testRedisPrefix } from '../../helpers/redis.js';
import { waitFor } from '../../helpers/wait-for.js';
import { makeArticle } from '../../unit/alerts/article-factory.js';
import { openTestDb, ruleSet, SECRET, startReceiver, testFetcher } from './alert-env.js';

const { prefix, cleanup } = testRedisPrefix('deliver-worker');
// Short delays (the real schedule is 5 s … 10 h); 1.1 s apart so each retry has a later webhook-timestamp (seconds).
const SCHEDULE = [1_100, 1_100, 1_100, 1_100];
const fetcher = testFetcher();
const metrics = new Metrics({ processMetrics: false });
let env: Awaited<ReturnType<typeof openTestDb>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let redis: Redis;
let queues: QueueClient;
let worker: Worker;
let store: DeliveryStore;

/** Per-article behaviour of the receiver: how it answers the n-th request for that article. */
const plans = new Map<string, (n: number) => { status: number; headers?: Record<string, string> }>();

beforeAll(async () => {
  env = await openTestDb('deliver_worker');
  store = new DeliveryStore(env.db);
  receiver = await startReceiver();
  const counts = new Map<string, number>();
  receiver.answer((_n, _req, res) => {
    const last = receiver.received[receiver.received.length - 1];
    const articleId = (JSON.parse(last?.body ?? '{}') as { data?: { article?: { id?: string } } }).data?.article?.id ?? '';
    const n = (counts.get(articleId) ?? 0) + 1;
    counts.set(articleId, n);
    const answer = plans.get(articleId)?.(n) ?? { status: 200 };
    res.writeHead(answer.status, answer.headers ?? {}).end(answer.status >= 400 ? 'receiver says no' : 'ok');
  });
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  queues = new QueueClient(redis, prefix);
  const set = ruleSet({ endpoints: [{ id: 'hook', url: receiver.url, secret: SECRET }], rules: [{ id: 'sanctions', labels: ['targeted-sanctions'], endpoints: ['hook'] }] });
  worker = createDeliverWorker({
    connection: redis,
    prefix,
    concurrency: 4,
    logger: silentLogger,
    metrics,
    queues,
    deliver: { storage: pgAlertStorage(env.db), fetcher, rules: () => set, clock: systemClock, timeoutMs: 5_000, publicUrl: 'https://fw.example' },
    retrySchedule: SCHEDULE,
    jitter: 0,
  });
});
afterAll(async () => {
  await worker.close();
  await queues.close();
  redis.disconnect();
  await cleanup();
  await receiver.server.close();
  await fetcher.close();
  await env.drop();
});

async function deliveryFor(articleId: string): Promise<string> {
  const article = makeArticle({ id: articleId, labelSpecs: [{ id: 'targeted-sanctions', score: 0.9 }] });
  const event = articleMatchedEvent({ ruleId: 'sanctions', article: summarizeArticle(article), publicUrl: 'https://fw.example', at: new Date() });
  const [id] = await createDeliveries(new DeliveryStore(env.db), { endpointIds: ['hook'], ruleId: 'sanctions', event, eventKey: articleId, articleId }, systemClock);
  return id as string;
}

const receivedFor = (articleId: string) => receiver.received.filter((r) => r.body.includes(`"id":"${articleId}"`));

describe('deliver worker', () => {
  it('receiver down for three attempts, then up: delivered once, same webhook-id, increasing timestamps', async () => {
    plans.set('down-up', (n) => ({ status: n <= 3 ? 503 : 200 }));
    const id = await deliveryFor('down-up');
    await enqueueDeliveries(queues.enqueue, [id], { attempts: attemptsFor(SCHEDULE) });
    // Enqueued twice (a replayed alert job): still one job.
    await enqueueDeliveries(queues.enqueue, [id], { attempts: attemptsFor(SCHEDULE) });
    await waitFor(async () => (await store.get(id))?.status === 'delivered', { timeoutMs: 20_000, what: 'delivery' });
    const seen = receivedFor('down-up');
    // The sequence the receiver saw, for the closing note.
    console.log('down-then-up attempts seen by the receiver:\n' + seen.map((r, i) => `  #${i + 1} webhook-id=${r.id} webhook-timestamp=${r.timestamp} verified=${r.verified} → ${r.status}`).join('\n'));
    expect(seen.map((r) => r.status)).toEqual([503, 503, 503, 200]);
    expect(new Set(seen.map((r) => r.id))).toEqual(new Set([id]));
    expect(seen.every((r) => r.verified)).toBe(true);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.timestamp).toBeGreaterThan(seen[i - 1]!.timestamp);
    // The body is the same bytes every time; only the timestamp and signature change.
    expect(new Set(seen.map((r) => r.body)).size).toBe(1);
    const attempts = await store.attempts(id);
    expect(attempts.map((a) => [a.attempt, a.statusCode, a.outcome])).toEqual([
      [1, 503, 'failed'],
      [2, 503, 'failed'],
      [3, 503, 'failed'],
      [4, 200, 'delivered'],
    ]);
    await new Promise((r) => setTimeout(r, 300));
    expect(receivedFor('down-up')).toHaveLength(4);
  });

  it('retries exhausted: the delivery is dead-lettered, not dropped, after exactly the scheduled attempts', async () => {
    plans.set('always-down', () => ({ status: 500 }));
    const id = await deliveryFor('always-down');
    await enqueueDeliveries(queues.enqueue, [id], { attempts: 3 });
    await waitFor(async () => (await store.get(id))?.status === 'dead', { timeoutMs: 20_000, what: 'dead letter' });
    expect(receivedFor('always-down')).toHaveLength(3);
    const d = await store.get(id);
    expect(d?.lastError).toContain('retries exhausted: HTTP 500');
    expect(await store.attempts(id)).toHaveLength(3);
  });

  it('429 with Retry-After waits without spending an attempt', async () => {
    plans.set('busy', (n) => (n <= 2 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 }));
    const id = await deliveryFor('busy');
    // One attempt only: if a 429 spent it, the delivery would go dead instead.
    await enqueueDeliveries(queues.enqueue, [id], { attempts: 1 });
    await waitFor(async () => (await store.get(id))?.status === 'delivered', { timeoutMs: 20_000, what: 'delivery after Retry-After' });
    const seen = receivedFor('busy');
    expect(seen.map((r) => r.status)).toEqual([429, 429, 200]);
    expect(seen[2]!.at - seen[1]!.at).toBeGreaterThanOrEqual(900);
    expect((await store.attempts(id)).map((a) => a.outcome)).toEqual(['later', 'later', 'delivered']);
  });
});
