import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { loadConfig, type AppConfig } from '../../src/config/load-config.js';
import { systemClock, type FeedConfig } from '../../src/domain/types.js';
import { silentLogger } from '../../src/obs/logger.js';
import { Metrics } from '../../src/obs/metrics.js';
import { QueueClient } from '../../src/queues/queue-client.js';
import { buildApi } from '../../src/service/build-api.js';
import { FeedRegistry } from '../../src/service/feed-registry.js';
import { WorkerHealth } from '../../src/service/worker-health.js';
import type { Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open-database.js';
import { createTestDatabase } from './postgres.js';
import { TEST_REDIS_URL, testRedisPrefix } from './redis.js';

export const HARNESS_TOKEN = 'harness-token-0123456789abcdef';

/** The service's own API (buildApi, every route it mounts) over a test database and Redis prefix of its own. */
export interface ApiHarness {
  app: FastifyInstance;
  config: AppConfig;
  db: Db;
  redis: Redis;
  prefix: string;
  /** A request with the token, from an address of its own (so the per-IP rate limit never mixes tests). */
  api(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** A second API over the same database and Redis with other settings (e.g. api.trustProxy). */
  another(settings: Partial<AppConfig['settings']['api']>): Promise<FastifyInstance>;
  close(): Promise<void>;
}

let addressCounter = 0;
/** A fresh client address from the benchmarking range 198.18.0.0/15 (never a real peer). */
export function nextClientAddress(): string {
  addressCounter += 1;
  return `198.18.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
}

export async function startApiHarness(name: string, options: { feeds?: FeedConfig[]; api?: Partial<AppConfig['settings']['api']> } = {}): Promise<ApiHarness> {
  const database = await createTestDatabase(name);
  const db = await openDatabase({ url: database.url, dataDir: '' });
  await migrate(db);
  const keys = testRedisPrefix(name);
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const queues = new QueueClient(redis, keys.prefix);
  const base = loadConfig({ env: { FRAMEWATCH_API_TOKEN: HARNESS_TOKEN, LOG_LEVEL: 'silent', FRAMEWATCH_QUEUE_PREFIX: keys.prefix } });
  const feeds = options.feeds ?? base.feeds;
  const apps: FastifyInstance[] = [];
  const build = async (api: Partial<AppConfig['settings']['api']>): Promise<{ app: FastifyInstance; config: AppConfig }> => {
    const config: AppConfig = { ...base, feeds, settings: { ...base.settings, api: { ...base.settings.api, ...api } } };
    const app = await buildApi({
      config,
      logger: silentLogger,
      metrics: new Metrics({ processMetrics: false }),
      redis,
      db,
      queues,
      feeds: new FeedRegistry(config.files.feeds, feeds, silentLogger),
      health: new WorkerHealth(),
      clock: systemClock,
    });
    await app.ready();
    apps.push(app);
    return { app, config };
  };
  const { app, config } = await build(options.api ?? {});
  return {
    app,
    config,
    db,
    redis,
    prefix: keys.prefix,
    api: (o) => app.inject({ remoteAddress: nextClientAddress(), ...o, headers: { authorization: `Bearer ${HARNESS_TOKEN}`, ...o.headers } }),
    another: async (api) => (await build(api)).app,
    close: async () => {
      for (const a of apps) await a.close();
      await queues.close();
      redis.disconnect();
      await keys.cleanup();
      await db.close();
      await database.drop();
    },
  };
}
