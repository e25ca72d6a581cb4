/**
 * npm run bench:poll [-- --feeds 2000 --changed 0.05 --hosts 250 --no-politeness]
 *
 * A loopback server answers for N feeds spread over many loopback host names (127.0.1.x, so per-host
 * politeness applies as it would across real publishers). Every feed is polled through the real poll
 * stage (`pollFeed`) with the real safe fetcher, the Redis host limiter, the Redis seen/title indexes and
 * the PostgreSQL feed state, at settings.poll.concurrency in flight (what the poll worker runs).
 * Cycle 1 takes in every feed's backlog (200s); cycle 2 is the steady state: most feeds answer 304 to the
 * conditional GET, a fraction changed and answer 200 with one new item.
 * Prints per cycle: wall time, requests/s, items handed on; and the peak RSS.
 *
 * Needs Redis on 127.0.0.1:6379 and PostgreSQL on 127.0.0.1:5432; uses its own key prefix and database
 * and removes them afterwards. BullMQ's own per-job overhead is not included.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { settingsFileSchema } from '../src/config/settings-schema.js';
import type { FeedConfig } from '../src/domain/types.js';
import { createSafeFetcher, RedisHostLimiter } from '../src/fetch/index.js';
import { RedisSeenItems } from '../src/feeds/seen-items.js';
import { RedisTitleIndex } from '../src/feeds/title-index.js';
import { pollFeed, type PollDeps } from '../src/pipeline/poll.js';
import { FeedStateStore } from '../src/store/feed-state-store.js';
import { migrate } from '../src/store/migrate.js';
import { openDatabase } from '../src/store/open-database.js';
import { createTestDatabase } from '../tests/helpers/postgres.js';
import { deleteKeysWithPrefix, TEST_REDIS_URL } from '../tests/helpers/redis.js';

const { values: args } = parseArgs({
  options: { feeds: { type: 'string', default: '2000' }, changed: { type: 'string', default: '0.05' }, hosts: { type: 'string', default: '250' }, 'no-politeness': { type: 'boolean', default: false } },
});
const N = Number(args.feeds);
const CHANGED = Number(args.changed);
const HOSTS = Number(args.hosts);
const settings = settingsFileSchema.parse({}).poll;

// Each feed's version; a changed feed gets version + 1 (a new item and a new ETag).
const versions = new Array<number>(N).fill(1);

function body(i: number, version: number): string {
  const items: string[] = [];
  for (let k = version + 19; k >= version; k--) {
    items.push(
      `<item><title>Feed ${i} story ${k}: ministers discuss energy security and sanctions policy</title><link>https://news${i % 97}.example/feed-${i}/story-${k}?utm_source=rss</link><guid>feed-${i}-story-${k}</guid><pubDate>Tue, 24 Nov 2026 ${String(k % 24).padStart(2, '0')}:00:00 GMT</pubDate><description>&lt;p&gt;Story ${k} of feed ${i}.&lt;/p&gt;</description></item>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed ${i}</title><link>https://news.example/</link><ttl>15</ttl>${items.join('')}</channel></rss>`;
}

let requests = 0;
const server = createServer((req, res) => {
  requests++;
  const i = Number(/^\/f\/(\d+)\.xml/.exec(req.url ?? '')?.[1] ?? -1);
  const version = versions[i];
  if (version === undefined) return void res.writeHead(404).end();
  const etag = `"v${version}"`;
  if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(body(i, version));
});
await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
const { port } = server.address() as AddressInfo;

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
  ...(args['no-politeness'] ? {} : { hostLimiter: new RedisHostLimiter({ redis, prefix, concurrency: settings.perHostConcurrency, gapMs: settings.perHostGap }) }),
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
  url: `http://127.0.1.${(i % HOSTS) + 1}:${port}/f/${i}.xml`,
  name: `bench ${i}`,
  intervalMs: 15 * 60_000,
  tags: [],
  request: {},
}));

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

async function cycle(label: string): Promise<void> {
  const startRequests = requests;
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
  const made = requests - startRequests;
  console.log(
    `${label}: ${N} feeds in ${seconds.toFixed(2)} s — ${(made / seconds).toFixed(0)} requests/s, ${items} items handed on, outcomes ${JSON.stringify(counts)}`,
  );
}

try {
  const politeness = args['no-politeness'] ? 'no per-host limits' : `per host ${settings.perHostConcurrency} in flight and ${settings.perHostGap} ms apart`;
  console.log(`bench:poll — ${N} feeds over ${HOSTS} loopback hosts, concurrency ${settings.concurrency}, ${politeness}`);
  await cycle('cycle 1 (backlog, all 200)');
  for (let i = 0; i < N; i++) if (i % Math.round(1 / CHANGED) === 0) versions[i] = (versions[i] ?? 1) + 1;
  await cycle(`cycle 2 (steady: ${Math.round((1 - CHANGED) * 100)}% 304, ${Math.round(CHANGED * 100)}% changed)`);
  await cycle('cycle 3 (all 304)');
  console.log(`peak RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
} finally {
  clearInterval(sampler);
  await fetcher.close();
  server.close();
  await deleteKeysWithPrefix(redis, prefix);
  redis.disconnect();
  await db.close();
  await database.drop();
}
