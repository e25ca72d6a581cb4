import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedConfig } from '../../../src/domain/types.js';
import { RedisSessionStore, SESSION_COOKIE } from '../../../src/http/sessions.js';
import { ArticleStore } from '../../../src/store/article-store.js';
import { initialFeedState } from '../../../src/feeds/feed-state.js';
import { FeedStateStore } from '../../../src/store/feed-state-store.js';
import { HARNESS_TOKEN, nextClientAddress, startApiHarness, type ApiHarness } from '../../helpers/api-harness.js';
import { label, work } from '../store/work-fixtures.js';

const SECRET_FEED: FeedConfig = { id: 'secret-feed', url: 'https://reader:s3cr3t-pass@feeds.example/private.xml', name: 'Private', intervalMs: 900_000, tags: [], request: {} };
const NUL = 'a\u0000b';

interface OpenApiDoc {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: { content: Record<string, { schema: { properties?: Record<string, { type?: string }> } }> } }>>;
}

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness('hardening', { feeds: [SECRET_FEED], api: { rateLimitPerMinute: 20 } });
  await new ArticleStore(h.db).saveArticle(work('art-1', { labels: [label('targeted-sanctions', 0.9, ['policy-focuses'], 'Ministers imposed sanctions. More.')] }));
  const state = initialFeedState(SECRET_FEED.id, SECRET_FEED.url);
  state.consecutiveFailures = 1;
  state.healthState = 'degraded';
  state.lastError = { class: 'transient', message: `HTTP 500 from ${SECRET_FEED.url}`, status: 500 };
  state.lastErrorAt = new Date();
  await new FeedStateStore(h.db).save(state);
});
afterAll(async () => {
  await h?.close();
});

describe('NUL characters in any request string: 400 naming the parameter', () => {
  it('in every path parameter, query parameter and body field of the OpenAPI description', async () => {
    const doc = (await h.api({ url: '/openapi.json' })).json<OpenApiDoc>();
    const cases: { method: string; url: string; payload?: unknown; parameter: string }[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const params = op.parameters ?? [];
        const filled = path.replace(/\{([^}]+)\}/g, 'some-id');
        for (const p of params.filter((x) => x.in === 'path')) cases.push({ method, url: path.replace(`{${p.name}}`, 'a%00b').replace(/\{[^}]+\}/g, 'some-id'), parameter: p.name });
        for (const p of params.filter((x) => x.in === 'query')) cases.push({ method, url: `${filled}?${p.name}=a%00b`, parameter: p.name });
        const body = op.requestBody?.content['application/json']?.schema.properties ?? {};
        for (const [field, schema] of Object.entries(body)) {
          cases.push({ method, url: filled, payload: { [field]: schema.type === 'array' ? [NUL] : NUL }, parameter: schema.type === 'array' ? `${field}.0` : field });
        }
      }
    }
    expect(cases.length).toBeGreaterThan(40);
    const wrong: string[] = [];
    for (const c of cases) {
      const res = await h.api({ method: c.method.toUpperCase() as 'GET', url: c.url, ...(c.payload ? { payload: c.payload as object } : {}) });
      const parameter = res.statusCode === 400 ? res.json<{ parameter?: string }>().parameter : undefined;
      if (res.statusCode !== 400 || parameter !== c.parameter) wrong.push(`${c.method} ${c.url} ${JSON.stringify(c.payload ?? '')} -> ${res.statusCode} ${parameter ?? res.body.slice(0, 80)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('the ones the probe found: q, feed, an article id, deliveries?endpoint, review labels', async () => {
    for (const [url, parameter] of [
      ['/api/articles?q=sanctions%00', 'q'],
      ['/api/articles?feed=%00', 'feed'],
      ['/api/articles/art%001', 'id'],
      ['/api/deliveries?endpoint=hooks%00', 'endpoint'],
    ] as const) {
      const res = await h.api({ url });
      expect([url, res.statusCode, res.json<{ parameter: string }>().parameter]).toEqual([url, 400, parameter]);
    }
    const review = await h.api({ method: 'POST', url: '/api/articles/art-1/review', payload: { confirm: ['targeted-sanctions'], reject: ['energy\u0000security'] } });
    expect(review.statusCode).toBe(400);
    expect(review.json()).toMatchObject({ parameter: 'reject.0' });
    // A NUL inside a key of the body is refused as well.
    const key = await h.api({ method: 'POST', url: '/api/articles/art-1/review', payload: { 'note\u0000': 'x', confirm: ['targeted-sanctions'] } });
    expect(key.statusCode).toBe(400);
  });
});

describe('cursors that pass the format check but name no real moment: 400 naming cursor', () => {
  it.each([
    ['articles: 30 February', '/api/articles', cursorOf(['time', '2026-02-30T10:00:00.000000Z', 'art-1'])],
    ['articles: hour 25', '/api/articles', cursorOf(['time', '2026-01-10T25:00:00.000000Z', 'art-1'])],
    ['articles: year 0', '/api/articles', cursorOf(['time', '0000-01-01T00:00:00.000000Z', 'art-1'])],
    ['articles: NUL in the id', '/api/articles', cursorOf(['time', '2026-01-10T10:00:00.000000Z', NUL])],
    ['deliveries: 30 February', '/api/deliveries', cursorOf(['2026-02-30T10:00:00.000Z', 'd-1'])],
    ['deliveries: a year JavaScript holds and PostgreSQL does not', '/api/deliveries', cursorOf(['-271821-04-20T00:00:00.000Z', 'd-1'])],
    ['deliveries: NUL in the id', '/api/deliveries', cursorOf(['2026-01-10T10:00:00.000Z', NUL])],
  ])('%s', async (_name, path, cursor) => {
    const res = await h.api({ url: `${path}?cursor=${cursor}` });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ parameter: 'cursor' });
  });
});

describe('feed URL credentials', () => {
  it('/api/feeds and /api/feeds/:id show the URL and errors redacted, as the logs do', async () => {
    const list = await h.api({ url: '/api/feeds' });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('s3cr3t-pass');
    expect(list.json<{ items: { url: string; health: { lastError: { message: string } } }[] }>().items[0]).toMatchObject({
      url: 'https://redacted:redacted@feeds.example/private.xml',
      health: { lastError: { message: 'HTTP 500 from https://[redacted]@feeds.example/private.xml' } },
    });
    const one = await h.api({ url: '/api/feeds/secret-feed' });
    expect(one.statusCode).toBe(200);
    expect(one.body).not.toContain('s3cr3t-pass');
  });
});

describe('probes and the rate limit', () => {
  it('/healthz and /readyz answer a flood from one address; the API behind them is limited', async () => {
    const from = nextClientAddress();
    const statuses = new Set<number>();
    for (let i = 0; i < 30; i++) {
      statuses.add((await h.app.inject({ url: '/healthz', remoteAddress: from })).statusCode);
      statuses.add((await h.app.inject({ url: '/readyz', remoteAddress: from })).statusCode);
    }
    expect([...statuses]).toEqual([200]);
    const api: number[] = [];
    for (let i = 0; i < 21; i++) api.push((await h.app.inject({ url: '/api/framework', remoteAddress: from, headers: { authorization: `Bearer ${HARNESS_TOKEN}` } })).statusCode);
    expect(api.at(-1)).toBe(429);
  });
});

describe('review verdicts', () => {
  it('confirming and rejecting the same label at once is refused with 400, and nothing is recorded', async () => {
    const res = await h.api({ method: 'POST', url: '/api/articles/art-1/review', payload: { confirm: ['targeted-sanctions'], reject: ['targeted-sanctions'] } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ parameter: 'reject.0' });
    const added = await h.api({ method: 'POST', url: '/api/articles/art-1/review', payload: { reject: ['energy-security'], add: ['energy-security'] } });
    expect(added.statusCode).toBe(400);
    expect(added.json()).toMatchObject({ parameter: 'add.0' });
    const detail = (await h.api({ url: '/api/articles/art-1' })).json<{ reviews: unknown[]; labels: { id: string; review: string }[] }>();
    expect(detail.reviews).toEqual([]);
    expect(detail.labels).toEqual([expect.objectContaining({ id: 'targeted-sanctions', review: 'unreviewed' })]);
  });
});

describe('the queue dashboard session', () => {
  const signIn = (app: FastifyInstance, headers: Record<string, string> = {}) => app.inject({ url: `/admin/queues?token=${HARNESS_TOKEN}`, remoteAddress: nextClientAddress(), headers });
  const cookieOf = (setCookie: string | string[] | number | undefined) => String(setCookie ?? '');
  const idOf = (setCookie: string) => /framewatch_session=([^;]*)/.exec(setCookie)?.[1] ?? '';

  it('?token= starts a random server-side session: HttpOnly, SameSite=Strict, no Secure over plain HTTP', async () => {
    const first = cookieOf((await signIn(h.app)).headers['set-cookie']);
    const second = cookieOf((await signIn(h.app)).headers['set-cookie']);
    expect(first).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict$`));
    // Random per sign-in, not a function of the token.
    expect(idOf(first)).not.toBe(idOf(second));
    const sessions = new RedisSessionStore(h.redis, { prefix: h.prefix, ttlMs: 1 });
    expect(await sessions.lookup(idOf(first))).toMatchObject({ subject: expect.stringMatching(/^api-token:/), csrfToken: expect.any(String) });
    const keys = await h.redis.keys(`${h.prefix.replace(/[[\]*?]/g, '\\$&')}:session:*`);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    const ttl = await h.redis.pttl(keys[0]!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(12 * 3_600_000);
  });

  it('the cookie opens the dashboard until the session is revoked; a made-up id does not', async () => {
    const id = idOf(cookieOf((await signIn(h.app)).headers['set-cookie']));
    const withCookie = (value: string) => h.app.inject({ url: '/admin/queues/api/queues', remoteAddress: nextClientAddress(), headers: { cookie: `${SESSION_COOKIE}=${value}` } });
    expect((await withCookie(id)).statusCode).toBe(200);
    expect((await withCookie('A'.repeat(43))).statusCode).toBe(401);
    await new RedisSessionStore(h.redis, { prefix: h.prefix, ttlMs: 1 }).revoke(id);
    expect((await withCookie(id)).statusCode).toBe(401);
  });

  it('is Secure over HTTPS behind a trusted proxy (api.trustProxy), and only then', async () => {
    const proxied = await h.another({ trustProxy: true });
    expect(cookieOf((await signIn(proxied, { 'x-forwarded-proto': 'https' })).headers['set-cookie'])).toMatch(/; Secure$/);
    expect(cookieOf((await signIn(proxied)).headers['set-cookie'])).not.toMatch(/Secure/);
    // Without trustProxy, a client's own X-Forwarded-Proto is not believed.
    expect(cookieOf((await signIn(h.app, { 'x-forwarded-proto': 'https' })).headers['set-cookie'])).not.toMatch(/Secure/);
  });
});
