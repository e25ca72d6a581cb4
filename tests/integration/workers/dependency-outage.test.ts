import { Queue, QueueEvents, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/obs/logger.js';
import { Metrics } from '../../../src/obs/metrics.js';
import { createRedis, type RedisClient } from '../../../src/queues/connection.js';
import { RedisWorkStore } from '../../../src/queues/work-store.js';
import { PgDb } from '../../../src/store/pg-db.js';
import { createStageWorker } from '../../../src/workers/stage-worker.js';
import { createTestDatabase } from '../../helpers/postgres.js';
import { TEST_REDIS_URL, testRedisPrefix } from '../../helpers/redis.js';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.js';
import { waitFor } from '../../helpers/wait-for.js';

/**
 * A stage that waits on a dependency keeps its attempts for errors in the job: through real BullMQ, with
 * PostgreSQL and Redis reached through proxies the test cuts. Jobs have a single attempt, so any attempt
 * spent on the outage would fail them.
 */
const { prefix, cleanup } = testRedisPrefix('dependency-outage');
const recovery = { lockDuration: 30_000, stalledInterval: 30_000, maxStalledCount: 1, outageBackoff: { initial: 100, max: 400 } };
const metrics = new Metrics({ processMetrics: false });
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pgProxy: TcpProxy;
let redisProxy: TcpProxy;
let db: PgDb;
let redis: Redis;
let workRedis: RedisClient;
let events: { store: QueueEvents; classify: QueueEvents };
let queues: { store: Queue; classify: Queue };
const workers: Worker[] = [];
const calls = new Map<string, number>();
const count = (id: string) => calls.set(id, (calls.get(id) ?? 0) + 1);

beforeAll(async () => {
  database = await createTestDatabase('dependency_outage');
  const pgUrl = new URL(database.url);
  pgProxy = await startTcpProxy(pgUrl.hostname, Number(pgUrl.port || 5432));
  db = await PgDb.connect(pgProxy.via(database.url), { max: 2 });
  const redisUrl = new URL(TEST_REDIS_URL);
  redisProxy = await startTcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379));
  // The working documents' connection as a CLI or API process makes it: it gives up a command after 3 tries.
  workRedis = createRedis({ url: redisProxy.via(TEST_REDIS_URL), role: 'client' });
  workRedis.on('error', () => undefined);
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  queues = { store: new Queue('store', { connection: redis, prefix }), classify: new Queue('classify', { connection: redis, prefix }) };
  events = { store: new QueueEvents('store', { connection: redis.duplicate(), prefix }), classify: new QueueEvents('classify', { connection: redis.duplicate(), prefix }) };
  await Promise.all([events.store.waitUntilReady(), events.classify.waitUntilReady()]);
  const base = { connection: redis, prefix, concurrency: 2, logger: silentLogger, metrics, recovery };
  workers.push(
    createStageWorker({
      queue: 'store',
      ...base,
      handle: async ({ articleId }) => {
        count(articleId);
        if (articleId.startsWith('own-error')) throw new Error('a value the stage cannot store');
        await db.query('SELECT 1');
        return { articleId };
      },
    }),
    createStageWorker({
      queue: 'classify',
      ...base,
      handle: async ({ articleId }) => {
        count(articleId);
        return { articleId, found: (await new RedisWorkStore(workRedis, prefix).get(articleId)) !== null };
      },
    }),
  );
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await Promise.all([events.store.close(), events.classify.close(), queues.store.close(), queues.classify.close()]);
  workRedis?.disconnect();
  redis?.disconnect();
  await db?.close();
  await pgProxy?.close();
  await redisProxy?.close();
  await database?.drop();
  await cleanup();
});

const waited = async (stage: string) => (await metrics.jobs.get()).values.find((v) => v.labels.stage === stage && v.labels.outcome === 'waited')?.value ?? 0;

describe('a stage whose dependency is away', () => {
  it('PostgreSQL away for longer than the whole backoff budget: the job waits, attempts kept, and completes once it is back', async () => {
    pgProxy.cut();
    const job = await queues.store.add('store', { articleId: 'pg-1' }, { attempts: 1, backoff: { type: 'exponential', delay: 50 } });
    await new Promise((r) => setTimeout(r, 3_000));
    const during = await queues.store.getJob(job.id ?? '');
    expect(await during?.getState()).not.toBe('failed');
    expect(during?.attemptsMade).toBe(0);
    // 100 ms doubling to 400 ms over 3 s: several tries, each one refused.
    expect(calls.get('pg-1')).toBeGreaterThanOrEqual(4);
    pgProxy.restore();
    expect(await job.waitUntilFinished(events.store, 10_000)).toEqual({ articleId: 'pg-1' });
    // BullMQ counts the run that completed: the single attempt is the one that succeeded.
    expect((await queues.store.getJob(job.id ?? ''))?.attemptsMade).toBe(1);
    expect(await queues.store.getFailedCount()).toBe(0);
  });

  it("the stage's other jobs wait with it rather than each trying the database, and all complete afterwards", async () => {
    pgProxy.cut();
    const before = { waited: await waited('store'), calls: [...calls.values()].reduce((a, b) => a + b, 0) };
    const jobs = await queues.store.addBulk(Array.from({ length: 10 }, (_, i) => ({ name: 'store', data: { articleId: `pg-many-${i}` }, opts: { attempts: 1 } })));
    await new Promise((r) => setTimeout(r, 2_000));
    const tries = [...calls.values()].reduce((a, b) => a + b, 0) - before.calls;
    const holds = (await waited('store')) - before.waited;
    // Without the gate each of the 10 jobs would try every 100–400 ms: about 80 tries in 2 s.
    expect(tries).toBeLessThanOrEqual(25);
    expect(holds).toBeGreaterThan(tries);
    pgProxy.restore();
    for (const job of jobs) await job.waitUntilFinished(events.store, 10_000);
    for (const job of jobs) expect((await queues.store.getJob(job.id ?? ''))?.attemptsMade).toBe(1);
  });

  it('an error of the job itself still spends its attempt: one attempt, one try, failed', async () => {
    const job = await queues.store.add('store', { articleId: 'own-error-1' }, { attempts: 1 });
    await expect(job.waitUntilFinished(events.store, 10_000)).rejects.toThrow(/cannot store/);
    expect(calls.get('own-error-1')).toBe(1);
  });

  it("Redis away for the working document's read (extract and classify): the job waits and completes once it is back", async () => {
    await new RedisWorkStore(redis, prefix).addSighting({
      id: 'redis-1',
      canonicalUrl: 'https://news.example/redis-1',
      item: { guid: 'redis-1', link: 'https://news.example/redis-1', title: 'Redis blip', summary: '', contentHtml: null, author: null, publishedAt: null, categories: [], enclosures: [] },
      sighting: { feedId: 'f', feedName: 'F', link: null, guid: null, seenAt: new Date().toISOString() },
    });
    redisProxy.cut();
    const job = await queues.classify.add('classify', { articleId: 'redis-1' }, { attempts: 1 });
    await waitFor(() => (calls.get('redis-1') ?? 0) >= 2, { timeoutMs: 15_000, what: 'two tries of the Redis read' });
    expect((await queues.classify.getJob(job.id ?? ''))?.attemptsMade).toBe(0);
    redisProxy.restore();
    expect(await job.waitUntilFinished(events.classify, 15_000)).toEqual({ articleId: 'redis-1', found: true });
    expect((await queues.classify.getJob(job.id ?? ''))?.attemptsMade).toBe(1);
  });
});
