import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafeFetcher } from '../../../src/fetch/safe-fetcher.js';
import { RedisHostLimiter, type RedisHostLimiterOptions } from '../../../src/fetch/redis-host-limiter.js';
import { FetchError } from '../../../src/fetch/fetch-error.js';
import { dependencyOutageOf } from '../../../src/workers/dependency-outage.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { freePort } from '../../helpers/service-process.js';
import { TEST_REDIS_URL, testRedisPrefix } from '../../helpers/redis.js';

const { prefix, cleanup } = testRedisPrefix('host-limiter');
// Two connections stand for two worker processes sharing one Redis.
let redisA: Redis;
let redisB: Redis;
let n = 0;

beforeAll(() => {
  redisA = new Redis(TEST_REDIS_URL);
  redisB = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  await cleanup();
  redisA.disconnect();
  redisB.disconnect();
});

/** Two limiters (one per "process") over a key space of this test's own. */
function pair(opts: Omit<RedisHostLimiterOptions, 'redis' | 'prefix'>): [RedisHostLimiter, RedisHostLimiter] {
  const p = `${prefix}:${++n}`;
  return [new RedisHostLimiter({ redis: redisA, prefix: p, ...opts }), new RedisHostLimiter({ redis: redisB, prefix: p, ...opts })];
}

/** Resolves to 'pending' if `p` has not settled after `ms`: used only where settling would be the bug. */
async function stillPending(p: Promise<unknown>, ms = 150): Promise<boolean> {
  const marker = Symbol('pending');
  const winner = await Promise.race([p, new Promise((resolve) => setTimeout(() => resolve(marker), ms))]);
  return winner === marker;
}

describe('RedisHostLimiter', () => {
  it('holds a host to K requests in flight across processes', async () => {
    const [a, b] = pair({ concurrency: 2, gapMs: 0 });
    const first = await a.acquire('news.test');
    const second = await b.acquire('news.test');
    const third = b.acquire('news.test');
    const fourth = a.acquire('news.test');
    expect(await stillPending(third)).toBe(true);
    expect(await stillPending(fourth, 10)).toBe(true);
    await first();
    // Exactly one waiter gets the freed slot; the other keeps waiting.
    const got = await Promise.race([third.then(() => 'third'), fourth.then(() => 'fourth')]);
    const other = got === 'third' ? fourth : third;
    expect(await stillPending(other)).toBe(true);
    await second();
    const releases = await Promise.all([third, fourth]);
    await Promise.all(releases.map((r) => r()));
  });

  it('keeps hosts independent', async () => {
    const [a, b] = pair({ concurrency: 1, gapMs: 0 });
    const held = await a.acquire('busy.test');
    const other = await b.acquire('quiet.test');
    await other();
    await held();
  });

  it('spaces request starts on one host by the gap, across processes', async () => {
    const p = `${prefix}:gap`;
    const ttl = 30_000;
    const opts = { prefix: p, concurrency: 10, gapMs: 250, leaseTtlMs: ttl };
    const a = new RedisHostLimiter({ redis: redisA, ...opts });
    const b = new RedisHostLimiter({ redis: redisB, ...opts });
    const releases = await Promise.all([a, b, a].map((limiter) => limiter.acquire('slow.test')));
    // Each lease's score is its start on Redis's clock plus the TTL: read the starts where they were decided.
    const scored = await redisA.zrange(`${p}:host:slow.test:leases`, '0', '-1', 'WITHSCORES');
    const starts = scored.filter((_, i) => i % 2 === 1).map((score) => Number(score) - ttl);
    await Promise.all(releases.map((r) => r()));
    expect(starts).toHaveLength(3);
    expect((starts[1] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(250);
    expect((starts[2] ?? 0) - (starts[1] ?? 0)).toBeGreaterThanOrEqual(250);
  });

  it('frees the slot of a process that died holding it once the lease expires', async () => {
    const [a, b] = pair({ concurrency: 1, gapMs: 0, leaseTtlMs: 400 });
    await a.acquire('crashy.test'); // never released: the "process" crashed
    const waiting = b.acquire('crashy.test');
    expect(await stillPending(waiting, 100)).toBe(true);
    const release = await waiting;
    await release();
  });

  it('does not let a repeated release free someone else\'s slot', async () => {
    const [a, b] = pair({ concurrency: 1, gapMs: 0 });
    const releaseA = await a.acquire('once.test');
    await releaseA();
    const releaseB = await b.acquire('once.test');
    await releaseA();
    const third = a.acquire('once.test');
    expect(await stillPending(third)).toBe(true);
    await releaseB();
    await (await third)();
  });

  it("stops waiting when the caller aborts, with the caller's reason", async () => {
    const [a, b] = pair({ concurrency: 1, gapMs: 0 });
    const held = await a.acquire('abort.test');
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const waiting = b.acquire('abort.test', controller.signal);
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    await held();
  });

  it('leaves no key without an expiry', async () => {
    const p = `${prefix}:ttl`;
    const limiter = new RedisHostLimiter({ redis: redisA, prefix: p, concurrency: 2, gapMs: 1_000, leaseTtlMs: 30_000 });
    const release = await limiter.acquire('ttl.test');
    await release();
    const keys = await redisA.keys(`${p}:host:ttl.test:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(await redisA.pttl(key)).toBeGreaterThan(0);
  });
});

describe('the fetcher with a shared host limiter', () => {
  let server: FixtureServer;
  let inFlight = 0;
  let maxInFlight = 0;

  beforeAll(async () => {
    server = await startFixtureServer();
    server.route('/slow', async (_req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 60));
      inFlight--;
      res.writeHead(200).end('ok');
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('never has more than K requests in flight to one host from two fetchers', async () => {
    const [a, b] = pair({ concurrency: 1, gapMs: 0 });
    const base = { allowPrivateNetworks: true, userAgent: 'test', timeoutMs: 5_000, maxBytes: 1024, maxRedirects: 0 };
    const fa = createSafeFetcher({ ...base, hostLimiter: a });
    const fb = createSafeFetcher({ ...base, hostLimiter: b });
    try {
      const results = await Promise.all([fa, fb, fa, fb].map((f) => f.fetch(`${server.url}/slow`)));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect(server.requests).toHaveLength(4);
      expect(maxInFlight).toBe(1);
    } finally {
      await Promise.all([fa.close(), fb.close()]);
    }
  });

  it("a limiter whose Redis is away fails the fetch with Redis's own error, not as the site's network error", async () => {
    // A client that gives a command up at once while it has no connection, as a blip looks to the stage.
    const away = new Redis(await freePort(), '127.0.0.1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    away.on('error', () => undefined);
    const fetcher = createSafeFetcher({ allowPrivateNetworks: true, userAgent: 'test', timeoutMs: 5_000, maxBytes: 1024, maxRedirects: 0, hostLimiter: new RedisHostLimiter({ redis: away, prefix, concurrency: 1, gapMs: 0 }) });
    const requestsBefore = server.requests.length;
    try {
      const err = await fetcher.fetch(`${server.url}/slow`).then(
        () => null,
        (e: unknown) => e,
      );
      // A FetchError would be recorded against the feed (its health) or the page (a fallback to the feed's
      // text); Redis's error lets the stage wait for Redis instead.
      expect(err).not.toBeInstanceOf(FetchError);
      expect(dependencyOutageOf(err)).toMatchObject({ dependency: 'Redis' });
      expect(server.requests).toHaveLength(requestsBefore);
    } finally {
      away.disconnect();
      await fetcher.close();
    }
  });
});
