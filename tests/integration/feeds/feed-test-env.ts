import { Redis } from 'ioredis';
import { settingsFileSchema, type Settings } from '../../../src/config/settings-schema.js';
import type { Clock, FeedConfig } from '../../../src/domain/types.js';
import { createSafeFetcher, type ClosableSafeFetcher } from '../../../src/fetch/index.js';
import { RedisSeenItems } from '../../../src/feeds/seen-items.js';
import { RedisTitleIndex } from '../../../src/feeds/title-index.js';
import type { PollDeps } from '../../../src/pipeline/poll.js';
import type { Db } from '../../../src/store/db.js';
import { FeedStateStore } from '../../../src/store/feed-state-store.js';
import { migrate } from '../../../src/store/migrate.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { createTestDatabase } from '../../helpers/postgres.js';
import { TEST_REDIS_URL, testRedisPrefix } from '../../helpers/redis.js';

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(private t: number) {}
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(at: Date): void {
    this.t = at.getTime();
  }
}

export interface FeedTestEnv {
  server: FixtureServer;
  db: Db;
  redis: Redis;
  prefix: string;
  fetcher: ClosableSafeFetcher;
  state: FeedStateStore;
  clock: ManualClock;
  settings: Settings['poll'];
  deps(overrides?: Partial<PollDeps>): PollDeps;
  feed(path: string, overrides?: Partial<FeedConfig>): FeedConfig;
  close(): Promise<void>;
}

/** Real PostgreSQL (own database, migrated), real Redis (own prefix), a loopback server and the real safe fetcher. */
export async function startFeedTestEnv(name: string, options: { timeoutMs?: number; maxBytes?: number; settings?: Record<string, unknown> } = {}): Promise<FeedTestEnv> {
  const database = await createTestDatabase(name);
  const db = await openDatabase({ url: database.url, dataDir: '' });
  await migrate(db);
  const { prefix, cleanup } = testRedisPrefix(name);
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const server = await startFixtureServer();
  const fetcher = createSafeFetcher({
    allowPrivateNetworks: true,
    userAgent: 'framewatch-test/1.0',
    timeoutMs: options.timeoutMs ?? 5_000,
    maxBytes: options.maxBytes ?? 15 * 1024 * 1024,
    maxRedirects: 5,
  });
  const state = new FeedStateStore(db);
  const clock = new ManualClock(Date.parse('2026-11-24T12:00:00Z'));
  const settings = settingsFileSchema.parse({ poll: options.settings ?? {} }).poll;
  const seen = new RedisSeenItems(redis, { prefix });
  const titles = new RedisTitleIndex(redis, { prefix });
  return {
    server,
    db,
    redis,
    prefix,
    fetcher,
    state,
    clock,
    settings,
    deps: (overrides = {}) => ({ fetcher, state, seen, titles, clock, settings, ...overrides }),
    feed: (path, overrides = {}) => ({
      id: `feed-${path.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}`,
      url: `${server.url}${path}`,
      name: path,
      intervalMs: 15 * 60_000,
      tags: [],
      request: {},
      ...overrides,
    }),
    close: async () => {
      await fetcher.close();
      await server.close();
      redis.disconnect();
      await cleanup();
      await db.close();
      await database.drop();
    },
  };
}
