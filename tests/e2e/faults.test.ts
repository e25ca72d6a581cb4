import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../helpers/redis.js';
import { rssFor, startServiceHarness, type ServiceHarness } from '../helpers/service-harness.js';
import { logRecords, type ServiceProcess } from '../helpers/service-process.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * Faults the service must survive with nothing lost and nothing doubled, each against real processes,
 * the machine's Redis and PostgreSQL reached through loopback proxies the test controls (the shared
 * servers themselves are never stopped).
 */
const FAST_RECOVERY = ['queues:', '  lockDuration: 3s', '  stalledInterval: 2s', '  maxStalledCount: 1', '  shutdownGrace: 5s', 'alerts:', '  retrySchedule: [1s, 1s, 1s]'];

let h: ServiceHarness | null = null;
const proxies: TcpProxy[] = [];
afterEach(async () => {
  await h?.close();
  h = null;
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});

async function countRows(databaseUrl: string, sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

/** Resolves when `hold` has been entered (the page request is in flight); the response waits for `release`. */
function gate() {
  let entered!: () => void;
  let release!: () => void;
  const enteredP = new Promise<void>((r) => (entered = r));
  const releaseP = new Promise<void>((r) => (release = r));
  return { entered: enteredP, release, hold: async () => (entered(), releaseP) };
}

function feedWith(harness: ServiceHarness, slugs: { slug: string; title: string }[]) {
  harness.site.route('/feeds/main.rss', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFor(harness.site.origin, slugs));
  });
}

const PRICE_CAP = { slug: 'price-cap-russian-oil', title: 'Updates Related to Price Cap on Russian Oil' };
const GRID = { slug: 'ukraine-grid-repair', title: 'U.S. Sends Gear to Repair Ukraine Electric Grid' };

describe('faults survived', () => {
  it('a worker killed with SIGKILL mid-extraction: the job is picked up again, stored once, alerted once', async () => {
    h = await startServiceHarness({ name: 'fault-kill', feeds: [{ path: '/feeds/main.rss', name: 'Main' }], settings: FAST_RECOVERY });
    feedWith(h, [PRICE_CAP]);
    const first = gate();
    let requests = 0;
    h.servePage(PRICE_CAP.slug, { hold: async () => (++requests === 1 ? first.hold() : undefined) });
    const main = h.spawn(['start', '--stages', 'poll,classify,store,alert,deliver']);
    const extractor = h.spawn(['worker', '--stages', 'extract'], { PORT: '0' });
    await first.entered;
    extractor.child.kill('SIGKILL');
    await extractor.exited;
    first.release();
    h.spawn(['worker', '--stages', 'extract'], { PORT: '0' });
    await waitFor(() => h?.received.some((r) => r.body.type === 'article.matched'), { timeoutMs: 60_000, what: 'the alert after recovery' });
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await countRows(h.databaseUrl, 'SELECT count(*) AS n FROM articles')).toBe(1);
    expect(new Set(h.received.map((r) => r.id)).size).toBe(1);
    expect(requests).toBeGreaterThanOrEqual(2);
    void main;
  }, 120_000);

  it('Redis unreachable for 20 s while idle and mid-job: workers resume by themselves, nothing lost', async () => {
    const proxy = await startTcpProxy('127.0.0.1', Number(new URL(TEST_REDIS_URL).port || 6379));
    proxies.push(proxy);
    h = await startServiceHarness({ name: 'fault-redis', feeds: [{ path: '/feeds/main.rss', name: 'Main' }], settings: FAST_RECOVERY });
    const items = [PRICE_CAP];
    feedWith(h, items);
    const midJob = gate();
    h.servePage(PRICE_CAP.slug);
    h.servePage(GRID.slug, { hold: midJob.hold });
    const service = h.spawn(['start'], { REDIS_URL: proxy.via(TEST_REDIS_URL) });
    await waitFor(async () => (await countRows(h!.databaseUrl, 'SELECT count(*) AS n FROM articles')) === 1, { timeoutMs: 60_000, what: 'the first article' });

    // Idle: cut Redis for 20 s, bring it back, then publish a new item.
    proxy.cut();
    await new Promise((r) => setTimeout(r, 20_000));
    proxy.restore();
    items.push(GRID);
    // Mid-job: the new article's page is being fetched when Redis goes away again.
    await midJob.entered;
    proxy.cut();
    await new Promise((r) => setTimeout(r, 20_000));
    proxy.restore();
    midJob.release();
    await waitFor(async () => (await countRows(h!.databaseUrl, 'SELECT count(*) AS n FROM articles')) === 2, { timeoutMs: 90_000, what: 'the second article after Redis came back' });
    await waitFor(async () => (await fetch(`${h!.api}/readyz`)).ok, { timeoutMs: 30_000, what: 'readiness after Redis came back' });
    expect(await countRows(h.databaseUrl, "SELECT count(*) AS n FROM articles WHERE canonical_url LIKE '%ukraine-grid-repair'")).toBe(1);
    expect(service.child.exitCode).toBeNull();
  }, 180_000);

  it('PostgreSQL unreachable for a while: store jobs wait without spending attempts and succeed afterwards', async () => {
    h = await startServiceHarness({ name: 'fault-pg', feeds: [{ path: '/feeds/main.rss', name: 'Main' }], settings: FAST_RECOVERY, alerts: false });
    const pgProxy = await startTcpProxy('127.0.0.1', Number(new URL(h.databaseUrl).port || 5432));
    proxies.push(pgProxy);
    const viaProxy = pgProxy.via(h.databaseUrl);
    feedWith(h, [PRICE_CAP]);
    // Polling keeps feed state in the database too, so the outage starts once the article is past polling.
    const extracting = gate();
    h.servePage(PRICE_CAP.slug, { hold: extracting.hold });
    const service = h.spawn(['start'], { DATABASE_URL: viaProxy });
    await extracting.entered;
    pgProxy.cut();
    extracting.release();
    const redis = new Redis(TEST_REDIS_URL);
    const storeQueue = new Queue('store', { connection: redis, prefix: h.prefix });
    try {
      // The store job meets the outage and waits for the database, its attempts untouched.
      await waitFor(() => logRecords(service.logs).some((r) => typeof r.msg === 'string' && r.msg.startsWith('store waits for PostgreSQL')), { timeoutMs: 60_000, what: 'the store stage waiting for PostgreSQL' });
      await new Promise((r) => setTimeout(r, 5_000));
      const waiting = await storeQueue.getJobs(['delayed', 'wait', 'active']);
      expect(waiting.length).toBeGreaterThan(0);
      expect(waiting.every((j) => j.attemptsMade === 0)).toBe(true);
      pgProxy.restore();
      await waitFor(async () => (await countRows(h!.databaseUrl, 'SELECT count(*) AS n FROM articles')) === 1, { timeoutMs: 60_000, what: 'the article stored after PostgreSQL came back' });
      expect(await storeQueue.getFailedCount()).toBe(0);
    } finally {
      await storeQueue.close();
      redis.disconnect();
    }
  }, 150_000);

  it('SIGTERM with jobs in flight: shutdown completes in bounded time and no job is left stalled', async () => {
    h = await startServiceHarness({ name: 'fault-term', feeds: [{ path: '/feeds/main.rss', name: 'Main' }], settings: FAST_RECOVERY, alerts: false });
    feedWith(h, [PRICE_CAP]);
    const inFlight = gate();
    let requests = 0;
    h.servePage(PRICE_CAP.slug, { hold: async () => (++requests === 1 ? inFlight.hold() : undefined) });
    const service = h.spawn(['start']);
    await inFlight.entered;
    const started = Date.now();
    const exitP = service.stop(30_000);
    // The page answers while shutdown waits for the job in flight.
    setTimeout(() => inFlight.release(), 1_000);
    const exit = await exitP;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(20_000);
    const redis = new Redis(TEST_REDIS_URL);
    const extractQueue = new Queue('extract', { connection: redis, prefix: h.prefix });
    try {
      expect(await extractQueue.getActiveCount()).toBe(0);
      const counts = await extractQueue.getJobCounts('completed', 'wait', 'delayed', 'failed');
      expect(counts.failed).toBe(0);
      expect((counts.completed ?? 0) + (counts.wait ?? 0) + (counts.delayed ?? 0)).toBe(1);
    } finally {
      await extractQueue.close();
      redis.disconnect();
    }
    expect(logRecords(service.logs).some((r) => r.msg === 'framewatch stopped')).toBe(true);
  }, 90_000);

  it('a poison article that kills the extraction worker twice ends failed with a reason, not in a loop', async () => {
    h = await startServiceHarness({ name: 'fault-poison', feeds: [{ path: '/feeds/main.rss', name: 'Main' }], settings: FAST_RECOVERY, alerts: false });
    feedWith(h, [PRICE_CAP]);
    const workers: ServiceProcess[] = [];
    let requests = 0;
    // Every time a worker starts on this page, the worker dies (as a page that crashes the process would).
    h.servePage(PRICE_CAP.slug, {
      // The page never answers: the worker dies mid-fetch, so it cannot record a failure of its own.
      hold: async () => {
        requests++;
        workers.at(-1)?.child.kill('SIGKILL');
        await new Promise(() => undefined);
      },
    });
    h.spawn(['start', '--stages', 'poll,classify,store']);
    const redis = new Redis(TEST_REDIS_URL);
    const extractQueue = new Queue('extract', { connection: redis, prefix: h.prefix });
    try {
      for (let round = 0; round < 4; round++) {
        const before = requests;
        workers.push(h.spawn(['worker', '--stages', 'extract'], { PORT: '0' }));
        const outcome = await waitFor(async () => (requests > before ? 'killed' : (await extractQueue.getFailedCount()) > 0 ? 'failed' : null), { timeoutMs: 60_000, what: 'the poison page to be fetched or the job to fail' }).catch(async (err: Error) => {
          const counts = await extractQueue.getJobCounts();
          throw new Error(`${err.message} (round ${round}, requests ${requests}, queue ${JSON.stringify(counts)}; last worker: ${workers.at(-1)?.logs.slice(-4).join(' | ')})`);
        });
        if (outcome === 'failed') break;
        await workers.at(-1)?.exited;
      }
      const [failed] = await waitFor(async () => {
        const jobs = await extractQueue.getFailed();
        return jobs.length > 0 ? jobs : null;
      }, { timeoutMs: 60_000, what: 'the poison job to fail' });
      expect(failed?.failedReason).toMatch(/stalled/i);
      expect(requests).toBe(2);
    } finally {
      await extractQueue.close();
      redis.disconnect();
    }
  }, 240_000);

  it('a worker started while PostgreSQL is unreachable: one clear line per retry, no stack, then it starts by itself', async () => {
    h = await startServiceHarness({ name: 'fault-pg-boot', feeds: [], alerts: false });
    const pgProxy = await startTcpProxy('127.0.0.1', Number(new URL(h.databaseUrl).port || 5432));
    proxies.push(pgProxy);
    pgProxy.cut();
    const worker = h.spawn(['worker', '--stages', 'store'], { DATABASE_URL: pgProxy.via(h.databaseUrl), PORT: '0' });
    const retries = () => logRecords(worker.logs).filter((r) => typeof r.msg === 'string' && /^PostgreSQL at postgres:\/\/.*@127\.0\.0\.1:\d+\/.* (does not answer|refused the connection).*; retrying$/.test(r.msg));
    await waitFor(() => retries().length >= 2, { timeoutMs: 30_000, what: 'two retry messages' });
    expect(worker.logs.join('\n')).not.toMatch(/^\s+at |"stack"/m);
    expect(worker.child.exitCode).toBeNull();
    pgProxy.restore();
    await waitFor(() => logRecords(worker.logs).some((r) => r.msg === 'framewatch started'), { timeoutMs: 30_000, what: 'the worker to start' });
  }, 90_000);

  it('start-up with Redis down: a clear error and retries, then it starts by itself', async () => {
    h = await startServiceHarness({ name: 'fault-boot', feeds: [], alerts: false });
    const proxy = await startTcpProxy('127.0.0.1', Number(new URL(TEST_REDIS_URL).port || 6379));
    proxies.push(proxy);
    proxy.cut();
    const service = h.spawn(['start'], { REDIS_URL: proxy.via(TEST_REDIS_URL) });
    await waitFor(() => logRecords(service.logs).filter((r) => typeof r.msg === 'string' && /Redis at .* is unreachable; retrying/.test(r.msg)).length >= 2, { timeoutMs: 30_000, what: 'retry messages' });
    expect(service.logs.join('\n')).not.toMatch(/^\s+at /m);
    proxy.restore();
    await h.waitReady(60_000);
    expect(service.child.exitCode).toBeNull();
  }, 120_000);
});

afterAll(async () => {
  await h?.close();
});
