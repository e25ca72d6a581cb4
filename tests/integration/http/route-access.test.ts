import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { silentLogger } from '../../../src/obs/logger.js';
import { Metrics } from '../../../src/obs/metrics.js';
import { QueueClient } from '../../../src/queues/queue-client.js';
import { systemClock } from '../../../src/domain/types.js';
import { buildApi } from '../../../src/service/build-api.js';
import { FeedRegistry } from '../../../src/service/feed-registry.js';
import { WorkerHealth } from '../../../src/service/worker-health.js';
import { migrate } from '../../../src/store/migrate.js';
import { TEST_REDIS_URL, testRedisPrefix } from '../../helpers/redis.js';
import { BACKENDS, type TestDb } from '../store/backends.js';

// The service's own API (every route the running service mounts), not a test assembly of it: a route
// added later is covered here without anyone remembering to list it.
const TOKEN = 'route-access-token-0123456789';
const PUBLIC_ROUTES = new Set(['GET /healthz', 'GET /readyz', 'GET /metrics']);

interface Operation {
  method: string;
  path: string;
}

/** Every spelling of a path that a router might map to the same route but a prefix check would not. */
function spellings(path: string): string[] {
  const segments = path.split('/').filter(Boolean);
  const first = segments[0] ?? '';
  const rest = segments.slice(1).join('/');
  const tail = rest ? `/${rest}` : '';
  const encodedFirstChar = `%${first.charCodeAt(0).toString(16)}${first.slice(1)}`;
  const encodedAll = [...first].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');
  return [
    path,
    `/${encodedFirstChar}${tail}`,
    `/${encodedAll}${tail}`,
    `//${first}${tail}`,
    `/${first}/${tail ? `/${rest}` : ''}`,
    `/./${first}${tail}`,
    `/x/../${first}${tail}`,
    `/${first}/.${tail}`,
    `/${first.toUpperCase()}${tail}`,
    `/${first[0]?.toUpperCase() ?? ''}${first.slice(1)}${tail}`,
    `/${first}%2F${rest}`,
    `/${first};x=1${tail}`,
  ];
}

describe('route access on the service API', () => {
  let t: TestDb;
  let app: FastifyInstance;
  let redis: Redis;
  let queues: QueueClient;
  const keys = testRedisPrefix('route-access');
  let operations: Operation[] = [];

  beforeAll(async () => {
    t = await BACKENDS[0]!.open('route_access');
    await migrate(t.db);
    const config = loadConfig({ env: { FRAMEWATCH_API_TOKEN: TOKEN, LOG_LEVEL: 'silent' } });
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    queues = new QueueClient(redis, keys.prefix);
    app = await buildApi({
      config,
      logger: silentLogger,
      metrics: new Metrics({ processMetrics: false }),
      redis,
      db: t.db,
      queues,
      feeds: new FeedRegistry(config.files.feeds, config.feeds, silentLogger),
      health: new WorkerHealth(),
      clock: systemClock,
    });
    await app.ready();
    const doc = (await app.inject({ url: '/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, 'some-id') })),
    );
  });
  afterAll(async () => {
    await app?.close();
    await queues?.close();
    redis?.disconnect();
    await keys.cleanup();
    await t?.cleanup();
  });

  it('describes the API routes, the JSON Feeds and the probes in the OpenAPI document', () => {
    const described = new Set(operations.map((o) => `${o.method} ${o.path}`));
    for (const route of ['GET /api/articles', 'POST /api/articles/some-id/review', 'POST /api/deliveries/some-id/replay', 'GET /feeds/all.json', 'GET /api/stats', 'GET /api/feeds', 'GET /healthz']) {
      expect(described.has(route), route).toBe(true);
    }
  });

  it('refuses every protected route without the token, however its path is spelled', async () => {
    const protectedOps = operations.filter((o) => !PUBLIC_ROUTES.has(`${o.method} ${o.path}`));
    expect(protectedOps.length).toBeGreaterThan(10);
    const leaks: string[] = [];
    for (const op of protectedOps) {
      for (const url of spellings(op.path)) {
        const res = await app.inject({ method: op.method as 'GET', url, ...(op.method === 'POST' ? { payload: {} } : {}) });
        // 401 (matched and refused) or 404 (no route): anything else means the handler ran.
        if (res.statusCode !== 401 && res.statusCode !== 404) leaks.push(`${op.method} ${url} -> ${res.statusCode}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('answers the canonical path of a protected route when the token is given', async () => {
    const res = await app.inject({ url: '/api/articles', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    const encoded = await app.inject({ url: '/%61pi/articles', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(encoded.statusCode).toBe(200);
  });

  it('keeps the probes and the OpenAPI document public', async () => {
    for (const url of ['/healthz', '/metrics', '/openapi.json']) expect((await app.inject({ url })).statusCode, url).toBe(200);
    const described = new Set(operations.map((o) => `${o.method} ${o.path}`));
    for (const route of PUBLIC_ROUTES) expect(described.has(route), route).toBe(true);
  });

  it('takes ?token= on the JSON Feeds only', async () => {
    expect((await app.inject({ url: `/feeds/all.json?token=${TOKEN}` })).statusCode).toBe(200);
    expect((await app.inject({ url: `/%66eeds/all.json?token=${TOKEN}` })).statusCode).toBe(200);
    expect((await app.inject({ url: `/api/articles?token=${TOKEN}` })).statusCode).toBe(401);
    expect((await app.inject({ url: `/%61pi/stats?token=${TOKEN}` })).statusCode).toBe(401);
  });

  it('keeps the review desk pages and sign-out behind a session, however their paths are spelled', async () => {
    const leaks: string[] = [];
    expect((await app.inject({ url: '/' })).statusCode).toBe(401);
    for (const [method, path] of [['GET', '/overview'], ['GET', '/articles/some-id'], ['POST', '/sign-out']] as const) {
      for (const url of spellings(path)) {
        const res = await app.inject({ method, url });
        if (res.statusCode !== 401 && res.statusCode !== 404) leaks.push(`${method} ${url} -> ${res.statusCode}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('keeps the queue dashboard behind the token', async () => {
    expect((await app.inject({ url: '/admin/queues' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/%61dmin/queues/api/queues' })).statusCode).toBe(401);
  });
});
