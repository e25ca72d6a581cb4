import type { Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../config/load-config.js';
import { systemClock, type Clock } from '../domain/types.js';
import { RedisHostLimiter } from '../fetch/index.js';
import { createSafeFetcher, type ClosableSafeFetcher } from '../fetch/index.js';
import type { Logger } from '../obs/logger.js';
import { Metrics } from '../obs/metrics.js';
import { RedisWorkStore } from '../queues/work-store.js';
import { openServiceConnections } from './redis-connections.js';
import type { Db } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { buildApi } from './build-api.js';
import { openServiceDatabase } from './open-service-database.js';
import { buildWorkers } from './build-workers.js';
import { watchConfigFile } from '../config/watch-file.js';
import { FeedRegistry } from './feed-registry.js';
import { syncFeedSchedulers } from './feed-scheduler.js';
import { checkRedisDurability, waitForRedis } from './redis-checks.js';
import { runShutdown, type ShutdownStep } from './shutdown.js';
import type { ServiceRoles } from './service-options.js';
import { WorkerHealth } from './worker-health.js';

export interface RunningService {
  /** The API's address when this process serves it. */
  httpUrl: string | null;
  metrics: Metrics;
  /** Ordered shutdown: stop intake, let jobs finish or return them, close queues, Redis and the pool. */
  stop(): Promise<void>;
}

export interface StartServiceOptions {
  config: AppConfig;
  roles: ServiceRoles;
  logger: Logger;
  clock?: Clock;
  /** Aborts a start-up still waiting for Redis. */
  signal?: AbortSignal;
}

/** Hourly: cheap, and retention works in days. */
const RETENTION_EVERY_MS = 3_600_000;

/**
 * Starts the parts of framewatch this process runs (scheduler, API, stage workers) against the configured
 * Redis and database. One codebase, any subset of roles: `start` runs them all, `worker --stages` some.
 */
export async function startService(options: StartServiceOptions): Promise<RunningService> {
  const { config, roles, logger } = options;
  const clock = options.clock ?? systemClock;
  const prefix = config.env.FRAMEWATCH_QUEUE_PREFIX;
  const metrics = new Metrics();

  if (!(await waitForRedis(config.env.REDIS_URL, logger, options.signal))) throw new Error('start-up aborted while waiting for Redis');
  const connections = openServiceConnections(config.env.REDIS_URL, prefix);
  const { redis, keys, queues } = connections;
  for (const warning of (await checkRedisDurability(redis)).warnings) logger.warn({ check: 'redis-durability' }, warning);

  const needsDb = roles.api || roles.scheduler || roles.stages.some((s) => s !== 'extract' && s !== 'classify');
  let db: Db | null = null;
  if (needsDb) {
    db = await openServiceDatabase(config, logger, { command: commandOf(roles), signal: options.signal });
    if (!db) {
      await connections.close();
      throw new Error('start-up aborted while waiting for the database');
    }
    const applied = await migrate(db);
    if (applied.length > 0) logger.info({ applied }, 'database migrations applied');
  }

  const work = new RedisWorkStore(keys, prefix);
  const feeds = new FeedRegistry(config.files.feeds, config.feeds, logger);
  const webhookFetcher: ClosableSafeFetcher = createSafeFetcher(config.fetch);
  const fetcher: ClosableSafeFetcher = createSafeFetcher({
    ...config.fetch,
    // Politeness toward publishers, shared by every process through Redis.
    hostLimiter: new RedisHostLimiter({
      redis: keys,
      prefix: `${prefix}:hosts`,
      concurrency: config.settings.poll.perHostConcurrency,
      gapMs: config.settings.poll.perHostGap,
    }),
  });

  const health = new WorkerHealth();
  const built = await buildWorkers({ config, roles, logger, metrics, redis, keys, prefix, queues, work, fetcher, webhookFetcher, db, feeds, clock });
  for (const { worker, stage } of built.workers) health.watch(worker, queues.queue(stage));

  const stopWatchers: (() => void)[] = [];
  if (roles.scheduler) {
    const pollQueue = queues.queue('poll');
    const sync = async () => {
      const result = await syncFeedSchedulers(pollQueue, feeds.all(), config.settings.poll.floor);
      logger.info({ feeds: result.upserted, removed: result.removed, polledNow: result.polledNow }, 'feed schedulers in line with config');
    };
    await sync();
    feeds.onChange(() => sync().catch((err: unknown) => logger.error({ err }, 'could not update feed schedulers')));
    stopWatchers.push(watchConfigFile(config.files.feeds, () => feeds.reload()));
    await queues.queue('maintenance').upsertJobScheduler('retention', { every: RETENTION_EVERY_MS }, { name: 'maintenance', data: { task: 'retention' } });
  } else if (roles.stages.includes('poll')) {
    // A worker-only process still follows feeds.yaml edits so removed feeds stop being polled here.
    stopWatchers.push(watchConfigFile(config.files.feeds, () => feeds.reload()));
  }
  stopWatchers.push(...built.watchers);

  let app: FastifyInstance | null = null;
  let httpUrl: string | null = null;
  if (roles.api) {
    app = await buildApi({ config, logger, metrics, redis, db, queues, feeds, health, clock });
    httpUrl = await app.listen({ port: config.env.PORT, host: config.env.HOST });
    logger.info({ url: httpUrl }, 'HTTP API listening');
  }
  logger.info({ roles: { scheduler: roles.scheduler, api: roles.api, stages: roles.stages } }, 'framewatch started');

  let stopped: Promise<void> | null = null;
  const stop = () =>
    (stopped ??= (async () => {
      const steps: ShutdownStep[] = [
        { name: 'stop intake', run: async () => stopWatchers.forEach((s) => s()) },
        // All workers at once: one after another, each with its own grace, shutdown could take seven graces.
        {
          name: `close ${built.workers.length} workers`,
          run: async () => void (await Promise.all(built.workers.map(({ worker }) => closeWorker(worker, config.settings.queues.shutdownGrace)))),
          timeoutMs: config.settings.queues.shutdownGrace + 5_000,
        },
        { name: 'close HTTP', run: async () => void (await app?.close()) },
        { name: 'close stage resources', run: () => built.close() },
        { name: 'close queues', run: () => queues.close() },
        { name: 'close fetchers', run: async () => void (await Promise.all([fetcher.close(), webhookFetcher.close()])) },
        { name: 'close database', run: async () => void (await db?.close()) },
        { name: 'close Redis', run: () => connections.close() },
      ];
      await runShutdown(steps, logger);
      logger.info('framewatch stopped');
    })());
  return { httpUrl, metrics, stop };
}

/** The command line this set of roles comes from, for messages about who holds the embedded database. */
function commandOf(roles: ServiceRoles): string {
  if (roles.api && roles.scheduler) return 'start';
  if (roles.api) return 'api';
  if (roles.scheduler) return 'scheduler';
  return `worker --stages ${roles.stages.join(',')}`;
}

/** Waits for jobs in flight; past the bound, forces the close so BullMQ returns them to the queue as stalled. */
async function closeWorker(worker: Worker, graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const graceful = worker.close();
  const forced = new Promise<void>((resolve) => {
    timer = setTimeout(() => void worker.close(true).then(resolve, resolve), graceMs);
  });
  await Promise.race([graceful, forced]);
  clearTimeout(timer);
}

