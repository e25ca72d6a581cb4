import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type AppConfig } from '../../../src/config/load-config.js';
import { systemClock } from '../../../src/domain/types.js';
import { RedisSessionStore, tokenSubject } from '../../../src/http/sessions.js';
import { safeNext } from '../../../src/http/routes/sign-in.js';
import { silentLogger } from '../../../src/obs/logger.js';
import { Metrics } from '../../../src/obs/metrics.js';
import { QueueClient } from '../../../src/queues/queue-client.js';
import { buildApi } from '../../../src/service/build-api.js';
import { FeedRegistry } from '../../../src/service/feed-registry.js';
import { WorkerHealth } from '../../../src/service/worker-health.js';
import { migrate } from '../../../src/store/migrate.js';
import { TEST_REDIS_URL, testRedisPrefix } from '../../helpers/redis.js';
import { BACKENDS, type TestDb } from '../store/backends.js';

// The review desk's access on the service's own API: sign-in, session cookie, CSRF, sign-out.
const TOKEN = 'desk-access-token-0123456789';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const HOST = 'localhost:80';
const SAME_ORIGIN = { host: HOST, origin: `http://${HOST}`, 'sec-fetch-site': 'same-origin' };

describe('review desk access', () => {
  let t: TestDb;
  let redis: Redis;
  let queues: QueueClient;
  const keys = testRedisPrefix('desk-access');
  const apps: FastifyInstance[] = [];

  async function build(token: string | null, env: Record<string, string> = {}, api: Partial<AppConfig['settings']['api']> = {}): Promise<FastifyInstance> {
    const loaded = loadConfig({ env: { ...(token ? { FRAMEWATCH_API_TOKEN: token } : {}), LOG_LEVEL: 'silent', FRAMEWATCH_QUEUE_PREFIX: keys.prefix, ...env } });
    const config = { ...loaded, settings: { ...loaded.settings, api: { ...loaded.settings.api, ...api } } };
    const app = await buildApi({
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
    apps.push(app);
    return app;
  }

  async function signIn(app: FastifyInstance): Promise<{ cookie: string; csrf: string }> {
    const res = await app.inject({ method: 'POST', url: '/sign-in', headers: { ...FORM, ...SAME_ORIGIN }, payload: `token=${TOKEN}&next=%2Foverview` });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/overview');
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^framewatch_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/);
    const cookie = setCookie.split(';')[0]!;
    const page = await app.inject({ url: '/', headers: { cookie } });
    const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(page.body)?.[1] ?? '';
    expect(csrf).not.toBe('');
    return { cookie, csrf };
  }

  beforeAll(async () => {
    t = await BACKENDS[0]!.open('desk_access');
    await migrate(t.db);
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    queues = new QueueClient(redis, keys.prefix);
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await queues?.close();
    redis?.disconnect();
    await keys.cleanup();
    await t?.cleanup();
  });

  it('shows nothing without a session: pages send browsers to the sign-in page, the API answers 401', async () => {
    const app = await build(TOKEN);
    for (const url of ['/', '/overview', '/articles/a1']) {
      const nav = await app.inject({ url, headers: { accept: 'text/html' } });
      expect(nav.statusCode, url).toBe(303);
      expect(nav.headers.location).toBe(`/sign-in?next=${encodeURIComponent(url)}`);
      expect((await app.inject({ url })).statusCode, url).toBe(401);
    }
    expect((await app.inject({ url: '/api/articles' })).statusCode).toBe(401);
    const signInPage = await app.inject({ url: '/sign-in' });
    expect(signInPage.statusCode).toBe(200);
    expect(signInPage.headers['content-security-policy']).toContain("script-src 'self'");
    // The desk's code is public (no data in it); the pages are not.
    expect((await app.inject({ url: '/desk/desk.js' })).statusCode).toBe(200);
  });

  it('exchanges the token for an HttpOnly, SameSite=Strict session cookie; a wrong token or another origin gets none', async () => {
    const app = await build(TOKEN);
    const wrong = await app.inject({ method: 'POST', url: '/sign-in', headers: { ...FORM, ...SAME_ORIGIN }, payload: 'token=nope' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(wrong.body).toContain('not the API token');
    const crossSite = await app.inject({ method: 'POST', url: '/sign-in', headers: { ...FORM, host: HOST, 'sec-fetch-site': 'cross-site' }, payload: `token=${TOKEN}` });
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.headers['set-cookie']).toBeUndefined();

    const { cookie, csrf } = await signIn(app);
    const page = await app.inject({ url: '/articles/x', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.body).toContain('<meta name="fw-auth" content="session">');
    expect((await app.inject({ url: '/api/articles', headers: { cookie } })).statusCode).toBe(200);
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('sets a Secure cookie when the desk is served over HTTPS (behind a proxy trusted with api.trustProxy)', async () => {
    const app = await build(TOKEN, { FRAMEWATCH_PUBLIC_URL: 'https://desk.example' }, { trustProxy: true });
    const res = await app.inject({ method: 'POST', url: '/sign-in', headers: { ...FORM, host: 'desk.example', origin: 'https://desk.example', 'x-forwarded-proto': 'https' }, payload: `token=${TOKEN}` });
    expect(res.statusCode).toBe(303);
    expect(String(res.headers['set-cookie'])).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
    // Without that trust, a client's own X-Forwarded-Proto is not believed.
    const direct = await (await build(TOKEN)).inject({ method: 'POST', url: '/sign-in', headers: { ...FORM, ...SAME_ORIGIN, 'x-forwarded-proto': 'https' }, payload: `token=${TOKEN}` });
    expect(String(direct.headers['set-cookie'])).not.toContain('Secure');
  });

  it('asks state-changing requests on a session for the CSRF token and the same origin; bearer clients need neither', async () => {
    const app = await build(TOKEN);
    const { cookie, csrf } = await signIn(app);
    const replay = (headers: Record<string, string>) => app.inject({ method: 'POST', url: '/api/deliveries/none/replay', headers: { host: HOST, ...headers } });
    expect((await replay({ cookie })).statusCode).toBe(403);
    expect((await replay({ cookie, 'x-csrf-token': 'forged' })).statusCode).toBe(403);
    expect((await replay({ cookie, 'x-csrf-token': csrf, origin: 'http://localhost:81' })).statusCode).toBe(403);
    expect((await replay({ cookie, 'x-csrf-token': csrf, 'sec-fetch-site': 'same-site' })).statusCode).toBe(403);
    // Past the checks, the route itself answers: no such delivery.
    expect((await replay({ cookie, 'x-csrf-token': csrf, origin: `http://${HOST}`, 'sec-fetch-site': 'same-origin' })).statusCode).toBe(404);
    expect((await replay({ cookie, 'x-csrf-token': csrf })).statusCode).toBe(404);
    expect((await replay({ authorization: `Bearer ${TOKEN}` })).statusCode).toBe(404);
    // Another session's CSRF token does not fit.
    const other = await signIn(app);
    expect((await replay({ cookie, 'x-csrf-token': other.csrf })).statusCode).toBe(403);
  });

  it('signs out: the session ends on the server and the cookie is cleared', async () => {
    const app = await build(TOKEN);
    const { cookie, csrf } = await signIn(app);
    expect((await app.inject({ method: 'POST', url: '/sign-out', headers: { host: HOST, cookie } })).statusCode).toBe(403);
    const out = await app.inject({ method: 'POST', url: '/sign-out', headers: { ...SAME_ORIGIN, cookie, 'x-csrf-token': csrf } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await app.inject({ url: '/api/articles', headers: { cookie } })).statusCode).toBe(401);
  });

  it('ends sessions at their time to live, and those made with an earlier token', async () => {
    const store = new RedisSessionStore(redis, { prefix: keys.prefix, ttlMs: 300 });
    const { id } = await store.create(tokenSubject(TOKEN));
    expect((await store.lookup(id))?.subject).toBe(tokenSubject(TOKEN));
    await new Promise((r) => setTimeout(r, 450));
    expect(await store.lookup(id)).toBeNull();
    expect(await store.lookup('not-an-id')).toBeNull();
    // Redis holds a hash of the id, never the id itself.
    const fresh = (await store.create('p')).id;
    expect(await redis.exists(`${keys.prefix}:session:${createHash('sha256').update(fresh).digest('base64url')}`)).toBe(1);
    expect(await redis.exists(`${keys.prefix}:session:${fresh}`)).toBe(0);

    const app = await build(TOKEN);
    const longLived = new RedisSessionStore(redis, { prefix: keys.prefix, ttlMs: 60_000 });
    const stale = (await longLived.create(tokenSubject('the-token-before'))).id;
    expect((await app.inject({ url: '/api/articles', headers: { cookie: `framewatch_session=${stale}` } })).statusCode).toBe(401);
    // A queue-dashboard session (same token) is a desk session too: one sign-in for both.
    const dashboard = await app.inject({ url: `/admin/queues?token=${TOKEN}` });
    const cookie = String(dashboard.headers['set-cookie']).split(';')[0]!;
    expect((await app.inject({ url: '/api/articles', headers: { cookie } })).statusCode).toBe(200);
  });

  it('without a token: the desk is open, nothing to sign in to, and cross-origin writes are still refused', async () => {
    const app = await build(null);
    const page = await app.inject({ url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<meta name="fw-auth" content="open">');
    expect((await app.inject({ url: '/sign-in' })).statusCode).toBe(303);
    expect((await app.inject({ method: 'POST', url: '/api/deliveries/none/replay', headers: { host: HOST, origin: 'http://evil.example' } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/deliveries/none/replay', headers: { host: HOST, 'sec-fetch-site': 'cross-site' } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/deliveries/none/replay', headers: { host: HOST } })).statusCode).toBe(404);
  });

  it('limits sign-in attempts to ten a minute per client', async () => {
    const app = await build(TOKEN);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await app.inject({ method: 'POST', url: '/sign-in', headers: { ...FORM, ...SAME_ORIGIN }, payload: 'token=guess' })).statusCode);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('sends the browser back only to a path on this server after signing in', () => {
    expect(safeNext('/articles/x?label=a')).toBe('/articles/x?label=a');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '/sign-in', undefined, 42]) expect(safeNext(bad)).toBe('/');
  });
});
