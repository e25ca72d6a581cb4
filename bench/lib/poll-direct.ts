import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Settings } from '../../src/config/settings-schema.js';
import type { FeedConfig } from '../../src/domain/types.js';
import { createSafeFetcher, RedisHostLimiter } from '../../src/fetch/index.js';
import { RedisSeenItems } from '../../src/feeds/seen-items.js';
import { RedisTitleIndex } from '../../src/feeds/title-index.js';
import { pollFeed, type PollDeps } from '../../src/pipeline/poll.js';
import { FeedStateStore } from '../../src/store/feed-state-store.js';
import { migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open-database.js';
import { createTestDatabase } from '../../tests/helpers/postgres.js';
import { deleteKeysWithPrefix, TEST_REDIS_URL } from '../../tests/helpers/redis.js';
import { startFeedServer } from './poll-feed-server.js';

export interface DirectBenchOptions {
  feeds: number;
  hosts: number;
  changed: number;
  politeness: boolean;
  settings: Settings['poll'];
}

/**
 * The in-process mode (`--direct`): every feed is polled through the real poll stage (`pollFeed`) with the
 * real safe fetcher, the Redis host limiter, the Redis seen/title indexes and the PostgreSQL feed state, at
 * settings.poll.concurrency in flight, forced (no schedule). Cycle 1 takes in every feed's backlog (200s);
 * cycle 2 is the steady state (most 304, a fraction changed with one new item); cycle 3 is all 304.
 * BullMQ's per-job overhead, the scheduler and the poll worker's hand-on are not included.
 */
export async function runDirectBench(options: DirectBenchOptions): Promise<void> {
  const { feeds: N, hosts: HOSTS, changed: CHANGED, settings } = options;
  const server = await startFeedServer({ feeds: N, hosts: HOSTS, ttlMinutes: 15 });
  const database = await createTestDatabase('bench_poll');
  const db = await openDatabase({ url: database.url, dataDir: '', poolSize: settings.concurrency });
  await migrate(db);
  const prefix = `{fwbench-poll-${randomBytes(4).toString('hex')}}`;
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  const fetcher = createSafeFetcher({
    allowPrivateNetworks: true,
    userAgent: 'framewatch-bench',
    timeoutMs: 20_000,
    maxBytes: 15 * 1024 * 1024,
    maxRedirects: 5,
    // --no-politeness separates the cost of the per-host gap from the cost of the work itself.
    ...(options.politeness ? { hostLimiter: new RedisHostLimiter({ redis, prefix, concurrency: settings.perHostConcurrency, gapMs: settings.perHostGap }) } : {}),
  });
  const deps: PollDeps = {
    fetcher,
    state: new FeedStateStore(db),
    seen: new RedisSeenItems(redis, { prefix }),
    titles: new RedisTitleIndex(redis, { prefix }),
    clock: { now: () => new Date() },
    settings,
    force: true,
  };
  const feeds: FeedConfig[] = Array.from({ length: N }, (_, i) => ({
    id: `bench-${i}`,
    url: server.url(i),
    name: `bench ${i}`,
    intervalMs: 15 * 60_000,
    tags: [],
    request: {},
  }));

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

  async function cycle(label: string): Promise<void> {
    const startRequests = server.requests();
    const counts: Record<string, number> = {};
    let items = 0;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: settings.concurrency }, async () => {
        while (next < feeds.length) {
          const feed = feeds[next++];
          if (!feed) break;
          const r = await pollFeed(feed, deps);
          counts[r.status] = (counts[r.status] ?? 0) + 1;
          if (r.status !== 'skipped') items += r.newItems.length;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const made = server.requests() - startRequests;
    console.log(
      `${label}: ${N} feeds in ${seconds.toFixed(2)} s — ${(made / seconds).toFixed(0)} requests/s, ${items} items handed on, outcomes ${JSON.stringify(counts)}`,
    );
  }

  try {
    const politeness = options.politeness ? `per host ${settings.perHostConcurrency} in flight and ${settings.perHostGap} ms apart` : 'no per-host limits';
    console.log(`bench:poll --direct — pollFeed in-process (no service, no BullMQ): ${N} feeds over ${HOSTS} loopback hosts, concurrency ${settings.concurrency}, ${politeness}`);
    await cycle('cycle 1 (backlog, all 200)');
    for (let i = 0; i < N; i++) if (i % Math.round(1 / CHANGED) === 0) server.versions[i] = (server.versions[i] ?? 1) + 1;
    await cycle(`cycle 2 (steady: ${Math.round((1 - CHANGED) * 100)}% 304, ${Math.round(CHANGED * 100)}% changed)`);
    await cycle('cycle 3 (all 304)');
    console.log(`peak RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
  } finally {
    clearInterval(sampler);
    await fetcher.close();
    await server.close();
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
    await db.close();
    await database.drop();
  }
}
