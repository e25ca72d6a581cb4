import { Queue, QueueEvents, UnrecoverableError, type Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/obs/logger.js';
import { Metrics } from '../../../src/obs/metrics.js';
import { createStageWorker } from '../../../src/workers/stage-worker.js';
import { WorkerHealth } from '../../../src/service/worker-health.js';
import { TEST_REDIS_URL, testRedisPrefix } from '../../helpers/redis.js';
import { waitFor } from '../../helpers/wait-for.js';

const { prefix, cleanup } = testRedisPrefix('stage-worker');
let redis: Redis;
let queue: Queue;
let events: QueueEvents;
let worker: Worker;
const metrics = new Metrics({ processMetrics: false });
const seen: string[] = [];
const attemptsByArticle = new Map<string, number>();

beforeAll(async () => {
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  queue = new Queue('classify', { connection: redis, prefix });
  events = new QueueEvents('classify', { connection: redis.duplicate(), prefix });
  await events.waitUntilReady();
  worker = createStageWorker({
    queue: 'classify',
    connection: redis,
    prefix,
    concurrency: 2,
    logger: silentLogger,
    metrics,
    handle: async ({ articleId }) => {
      seen.push(articleId);
      const n = (attemptsByArticle.get(articleId) ?? 0) + 1;
      attemptsByArticle.set(articleId, n);
      if (articleId === 'permanent') throw new UnrecoverableError('page is gone');
      if (articleId === 'flaky' && n < 2) throw new Error('timeout talking to upstream');
      return { articleId, labels: ['x'] };
    },
  });
});
afterAll(async () => {
  await worker.close();
  await events.close();
  await queue.close();
  redis.disconnect();
  await cleanup();
});

const counter = async (stage: string, outcome: string) => {
  const metric = await metrics.jobs.get();
  return metric.values.find((v) => v.labels.stage === stage && v.labels.outcome === outcome)?.value ?? 0;
};

describe('createStageWorker', () => {
  it('runs the stage with the validated payload and returns its log fields', async () => {
    const job = await queue.add('classify', { articleId: 'ok-1' });
    expect(await job.waitUntilFinished(events, 10_000)).toEqual({ articleId: 'ok-1', labels: ['x'] });
  });

  it('fails a payload no version can read without retrying it', async () => {
    const job = await queue.add('classify', { article: 'wrong-shape' }, { attempts: 5 });
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow(/invalid classify payload/);
    const failed = await queue.getJob(job.id ?? '');
    expect(failed?.attemptsMade).toBe(1);
  });

  it('lets BullMQ retry transient errors and stops at once on permanent ones', async () => {
    const flaky = await queue.add('classify', { articleId: 'flaky' }, { attempts: 3, backoff: { type: 'fixed', delay: 50 } });
    await flaky.waitUntilFinished(events, 10_000);
    expect(attemptsByArticle.get('flaky')).toBe(2);

    const permanent = await queue.add('classify', { articleId: 'permanent' }, { attempts: 5 });
    await expect(permanent.waitUntilFinished(events, 10_000)).rejects.toThrow(/page is gone/);
    expect(attemptsByArticle.get('permanent')).toBe(1);

    await waitFor(async () => (await counter('classify', 'retried')) >= 1 && (await counter('classify', 'failed')) >= 2, { what: 'job counters' });
    expect(await counter('classify', 'completed')).toBeGreaterThanOrEqual(2);
  });
});

describe('WorkerHealth', () => {
  it('reports a running worker as consuming and a closed one as not', async () => {
    let now = Date.now();
    const health = new WorkerHealth(() => now);
    health.watch(worker, queue);
    expect((await health.check())[0]).toMatchObject({ stage: 'classify', ok: true });
    const idle = createStageWorker({ queue: 'store', connection: redis, prefix, concurrency: 1, logger: silentLogger, metrics, handle: async () => undefined });
    const storeQueue = new Queue('store', { connection: redis, prefix });
    await idle.pause(true);
    const h2 = new WorkerHealth(() => now);
    h2.watch(idle, storeQueue);
    expect((await h2.check())[0]).toMatchObject({ ok: false, reason: 'worker is paused' });
    await idle.resume();
    await storeQueue.add('store', { articleId: 'waiting' }, { delay: 0 });
    await idle.close();
    now += 120_000;
    const status = (await h2.check())[0];
    expect(status?.ok).toBe(false);
    await storeQueue.close();
  });
});
