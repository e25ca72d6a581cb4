import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedRoutes } from '../../../src/http/routes/feeds.js';
import { pollFeed } from '../../../src/pipeline/poll.js';
import { startFeedTestEnv, type FeedTestEnv } from './feed-test-env.js';

let env: FeedTestEnv;
let app: FastifyInstance;

beforeAll(async () => {
  env = await startFeedTestEnv('feed-routes');
  env.server.route('/good.xml', (_req, res) =>
    void res.writeHead(200).end('<rss version="2.0"><channel><title>g</title><item><guid>1</guid><title>A good feed item about sanctions</title><link>https://example.org/1</link></item></channel></rss>'),
  );
  env.server.route('/gone.xml', (_req, res) => void res.writeHead(410).end());
  const feeds = [
    env.feed('/good.xml', { tags: ['eu'] }),
    env.feed('/gone.xml', { request: { cookies: 'secret-session', headers: { 'X-Token': 'secret' } } }),
    env.feed('/never.xml', { tags: ['eu'] }),
  ];
  for (const f of feeds.slice(0, 2)) await pollFeed(f, env.deps());
  app = Fastify();
  await app.register(feedRoutes({ state: env.state, feeds: () => feeds }), { prefix: '/api' });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await env?.close();
});

describe('GET /api/feeds', () => {
  it('lists every configured feed with its health, and never the request secrets', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/feeds' });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ items: { id: string; health: { state: string; lastError: { class: string } | null; itemsSeen: number } }[]; counts: Record<string, number> }>();
    expect(body.items.map((i) => i.health.state)).toEqual(['ok', 'degraded', 'new']);
    expect(body.items[0]?.health.itemsSeen).toBe(1);
    expect(body.items[1]?.health.lastError).toMatchObject({ class: 'permanent', status: 410 });
    expect(body.counts).toEqual({ ok: 1, degraded: 1, new: 1 });
    expect(res.body).not.toContain('secret');
    expect(res.body).toContain('"cookies":true');
  });

  it('filters by state and tag, and rejects unknown parameters', async () => {
    const byState = await app.inject({ method: 'GET', url: '/api/feeds?state=degraded&state=new' });
    expect(byState.json<{ items: unknown[] }>().items).toHaveLength(2);
    const byTag = await app.inject({ method: 'GET', url: '/api/feeds?tag=eu' });
    expect(byTag.json<{ items: { health: { state: string } }[] }>().items.map((i) => i.health.state)).toEqual(['ok', 'new']);
    expect((await app.inject({ method: 'GET', url: '/api/feeds?state=bogus' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/feeds?stat=ok' })).statusCode).toBe(400);
  });
});

describe('GET /api/feeds/:id', () => {
  it('shows one feed with health and events; 404 for a feed not configured', async () => {
    const id = env.feed('/gone.xml').id;
    const res = await app.inject({ method: 'GET', url: `/api/feeds/${id}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, health: { state: 'degraded', consecutiveFailures: 1 }, events: [] });
    expect((await app.inject({ method: 'GET', url: '/api/feeds/nope' })).statusCode).toBe(404);
  });
});
