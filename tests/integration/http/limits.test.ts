import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFileSchema } from '../../../src/config/settings-schema.js';
import { buildHttpApp } from '../../../src/http/app.js';
import { redactTokenInUrl, tokenMatches } from '../../../src/http/auth.js';
import { silentLogger } from '../../../src/obs/logger.js';
import { ArticleStore } from '../../../src/store/article-store.js';
import { migrate } from '../../../src/store/migrate.js';
import { BACKENDS, type TestDb } from '../store/backends.js';
import { label, work } from '../store/work-fixtures.js';
import { auth, buildTestApp, TOKEN } from './build-test-app.js';

describe('token comparison', () => {
  it('matches only the exact token, whatever the lengths', () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(`${TOKEN}x`, TOKEN)).toBe(false);
    expect(tokenMatches(TOKEN.slice(0, -1), TOKEN)).toBe(false);
    expect(tokenMatches('', TOKEN)).toBe(false);
    expect(tokenMatches(TOKEN.toUpperCase(), TOKEN)).toBe(false);
  });

  it('masks tokens in logged URLs', () => {
    expect(redactTokenInUrl('/feeds/all.json?limit=3&token=abc&x=1')).toBe('/feeds/all.json?limit=3&token=[redacted]&x=1');
  });
});

describe.each(BACKENDS)('the API over a real socket on $name', (backend) => {
  let t: TestDb;
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    t = await backend.open('http_socket');
    await migrate(t.db);
    const articles = new ArticleStore(t.db);
    await articles.saveArticle(work('sock-1', { labels: [label('cybersecurity', 0.8, ['aspects'], 'Hackers hit the grid. Then more.')] }));
    app = await buildTestApp(articles, { rateLimitPerMinute: 5, bodyLimitBytes: 2048 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await t?.cleanup();
  });

  it('serves records over HTTP, refuses oversized bodies with 413, then rate-limits with 429 and Retry-After', async () => {
    const ok = await fetch(`${base}/api/articles/sock-1`, { headers: auth });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { labels: { id: string }[] }).labels[0]?.id).toBe('cybersecurity');

    const unauthorised = await fetch(`${base}/api/articles`);
    expect(unauthorised.status).toBe(401);

    const big = await fetch(`${base}/api/articles/sock-1/review`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ confirm: ['cybersecurity'], note: 'x'.repeat(5000) }),
    });
    expect(big.status).toBe(413);

    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 5 && !limited; i++) {
      const res = await fetch(`${base}/api/stats`, { headers: auth });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
      else await res.arrayBuffer();
    }
    // Five requests per minute: the three above plus at most two more pass, then 429.
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited!.json()) as { statusCode: number }).statusCode).toBe(429);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(2);
  });
});

describe('routes validated by JSON Schema (other plugins)', () => {
  it('also answer 400 naming the parameter', async () => {
    const app = await buildHttpApp({
      logger: silentLogger,
      apiToken: null,
      settings: { ...settingsFileSchema.parse({}).api, rateLimitPerMinute: 100, bodyLimitBytes: 1024 },
      publicUrl: 'http://localhost',
      apiRoutes: [
        async (api) =>
          void api.get('/things', { schema: { querystring: { type: 'object', properties: { limit: { type: 'integer', maximum: 10 } }, required: ['limit'] } } }, async () => ({ ok: true })),
      ],
      publicRoutes: [],
    });
    try {
      expect((await app.inject({ url: '/api/things?limit=50' })).json()).toMatchObject({ statusCode: 400, parameter: 'limit' });
      expect((await app.inject({ url: '/api/things' })).json()).toMatchObject({ statusCode: 400, parameter: 'limit' });
      expect((await app.inject({ url: '/api/things?limit=5' })).json()).toEqual({ ok: true });
      const doc = (await app.inject({ url: '/openapi.json' })).json<{ paths: Record<string, { get: { parameters: { name: string }[] } }> }>();
      expect(doc.paths['/api/things']?.get.parameters.map((p) => p.name)).toEqual(['limit']);
    } finally {
      await app.close();
    }
  });
});
