import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveries } from '../../../src/alerts/delivery-factory.js';
import { articleMatchedEvent, summarizeArticle } from '../../../src/alerts/payload.js';
import { systemClock } from '../../../src/domain/types.js';
import { buildHttpApp } from '../../../src/http/app.js';
import { deliveryRoutes } from '../../../src/http/routes/deliveries.js';
import { settingsFileSchema } from '../../../src/config/settings-schema.js';
import { silentLogger } from '../../../src/obs/logger.js';
import { deliverOnce } from '../../../src/pipeline/deliver.js';
import { QueueClient } from '../../../src/queues/queue-client.js';
import { pgAlertStorage } from '../../../src/store/alert-storage.js';
import { DeliveryStore } from '../../../src/store/delivery-store.js';
import { TEST_REDIS_URL, testRedisPrefix } from '../../helpers/redis.js';
import { makeArticle } from '../../unit/alerts/article-factory.js';
import { ManualClock, openTestDb, ruleSet, SECRET, startReceiver, testFetcher } from './alert-env.js';

const { prefix, cleanup } = testRedisPrefix('deliveries-api');
let env: Awaited<ReturnType<typeof openTestDb>>;
let redis: Redis;
let queues: QueueClient;
let app: FastifyInstance;
let store: DeliveryStore;
const ids: Record<string, string> = {};
const clock = new ManualClock(Date.parse('2026-11-24T12:00:00Z'));

async function seed(endpoint: string, articleId: string, at: Date): Promise<string> {
  const article = makeArticle({ id: articleId, labelSpecs: [{ id: 'targeted-sanctions', score: 0.9 }] });
  const event = articleMatchedEvent({ ruleId: 'r', article: summarizeArticle(article), publicUrl: 'https://fw.example', at });
  const [id] = await createDeliveries(new DeliveryStore(env.db), { endpointIds: [endpoint], ruleId: 'r', event, eventKey: articleId, articleId }, { now: () => at });
  return id as string;
}

beforeAll(async () => {
  env = await openTestDb('deliveries_api');
  store = new DeliveryStore(env.db);
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  queues = new QueueClient(redis, prefix);
  ids.old = await seed('alpha', 'old', new Date('2026-11-20T12:00:00Z'));
  ids.a1 = await seed('alpha', 'a1', new Date('2026-11-24T10:00:00Z'));
  ids.a2 = await seed('alpha', 'a2', new Date('2026-11-24T11:00:00Z'));
  ids.b1 = await seed('beta', 'b1', new Date('2026-11-24T11:30:00Z'));
  await store.setStatus(ids.a1, 'dead', 'retries exhausted: HTTP 500', new Date('2026-11-24T11:00:00Z'));
  // Mounted as the service mounts API routes: token, error handler and OpenAPI included.
  app = await buildHttpApp({
    logger: silentLogger,
    apiToken: null,
    settings: settingsFileSchema.parse({}).api,
    publicUrl: 'https://fw.example',
    apiRoutes: [deliveryRoutes({ deliveries: store, queues, clock, deliveryAttempts: 8 })],
    publicRoutes: [],
  });
});
afterAll(async () => {
  await app.close();
  await queues.close();
  redis.disconnect();
  await cleanup();
  await env.drop();
});

const get = async (url: string) => {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json() as { items: { id: string; endpointId: string; status: string; event: { type: string } }[]; nextCursor: string | null } };
};

describe('GET /api/deliveries', () => {
  it('lists newest first with the stored event', async () => {
    const { status, body } = await get('/api/deliveries');
    expect(status).toBe(200);
    expect(body.items.map((d) => d.id)).toEqual([ids.b1, ids.a2, ids.a1, ids.old]);
    expect(body.items[0]?.event.type).toBe('article.matched');
  });

  it('filters by endpoint, status and since (ISO or a duration back from now)', async () => {
    expect((await get('/api/deliveries?endpoint=beta')).body.items.map((d) => d.id)).toEqual([ids.b1]);
    expect((await get('/api/deliveries?status=dead')).body.items.map((d) => d.id)).toEqual([ids.a1]);
    expect((await get('/api/deliveries?status=dead&status=pending&endpoint=alpha')).body.items.map((d) => d.id)).toEqual([ids.a2, ids.a1, ids.old]);
    expect((await get('/api/deliveries?since=2026-11-24T00:00:00Z')).body.items).toHaveLength(3);
    expect((await get('/api/deliveries?since=90m')).body.items.map((d) => d.id)).toEqual([ids.b1, ids.a2]);
  });

  it('pages with a cursor', async () => {
    const first = await get('/api/deliveries?limit=3');
    expect(first.body.items).toHaveLength(3);
    const second = await get(`/api/deliveries?limit=3&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((d) => d.id)).toEqual([ids.old]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('rejects an unknown status or parameter with 400 naming it', async () => {
    const bad = await app.inject({ method: 'GET', url: '/api/deliveries?status=lost' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('status');
    expect((await app.inject({ method: 'GET', url: '/api/deliveries?cursor=nonsense' })).statusCode).toBe(400);
  });
});

describe('GET /api/deliveries/:id and POST replay', () => {
  it('replay makes a dead delivery pending and queues a new job; the receiver gets the same webhook-id', async () => {
    const receiver = await startReceiver();
    const fetcher = testFetcher();
    try {
      const res = await app.inject({ method: 'POST', url: `/api/deliveries/${ids.a1}/replay` });
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ id: ids.a1, status: 'pending', replays: 1, requeued: true });
      const job = await queues.queue('deliver').getJob(`deliver-${ids.a1}-replay-1`);
      expect(job?.data).toEqual({ deliveryId: ids.a1 });
      const set = ruleSet({ endpoints: [{ id: 'alpha', url: receiver.url, secret: SECRET }] });
      const out = await deliverOnce(ids.a1 as string, { storage: pgAlertStorage(env.db), fetcher, rules: () => set, clock: systemClock, timeoutMs: 5_000, publicUrl: 'https://fw.example' });
      expect(out.kind).toBe('delivered');
      expect(receiver.received.map((r) => [r.id, r.verified])).toEqual([[ids.a1, true]]);
      const detail = await app.inject({ method: 'GET', url: `/api/deliveries/${ids.a1}` });
      expect(detail.json()).toMatchObject({ id: ids.a1, status: 'delivered', replays: 1, attemptLog: [{ attempt: 1, statusCode: 204, outcome: 'delivered' }] });
    } finally {
      await receiver.server.close();
      await fetcher.close();
    }
  });

  it('replaying a pending delivery keeps its schedule: no second job, no double send', async () => {
    const first = await app.inject({ method: 'POST', url: `/api/deliveries/${ids.a2}/replay` });
    expect(first.json()).toEqual({ id: ids.a2, status: 'pending', replays: 0, requeued: false });
    await app.inject({ method: 'POST', url: `/api/deliveries/${ids.a2}/replay` });
    const jobs = (await queues.queue('deliver').getJobs(['waiting', 'delayed', 'prioritized'])).filter((j) => j.data.deliveryId === ids.a2);
    expect(jobs.map((j) => j.id)).toEqual([`deliver-${ids.a2}`]);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/deliveries', '/api/deliveries/{id}', '/api/deliveries/{id}/replay']));
  });

  it('404 for an unknown delivery', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/deliveries/msg_nope/replay' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/deliveries/msg_nope' })).statusCode).toBe(404);
  });
});
