import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFileSchema } from '../../../src/config/settings-schema.js';
import { buildHttpApp } from '../../../src/http/app.js';
import { feedRoutes } from '../../../src/http/routes/feeds.js';
import { silentLogger } from '../../../src/obs/logger.js';
import { RedisSeenItems, type SeenEntry } from '../../../src/feeds/seen-items.js';
import { pollFeed, type NewFeedItem, type PollResult } from '../../../src/pipeline/poll.js';
import { startFeedTestEnv, type FeedTestEnv } from './feed-test-env.js';

type Polled = Exclude<PollResult, { status: 'skipped' }>;
const polled = (r: PollResult): Polled => {
  if (r.status === 'skipped') throw new Error(`skipped: ${r.reason}`);
  return r;
};

const ITEMS = 100_000;
const CAP = settingsFileSchema.parse({}).poll.maxItemsPerPoll;
const START = Date.parse('2026-01-01T00:00:00Z');

/** The probe's feed: 100,000 items (about 11 MB, under the 15 MiB cap), oldest first, one minute apart. */
function hugeFeed(): Buffer {
  const parts = ['<?xml version="1.0"?><rss version="2.0"><channel><title>Everything</title><link>https://flood.example/</link>'];
  for (let i = 0; i < ITEMS; i++) {
    parts.push(`<item><title>${i}</title><link>http://f.x/${i}</link><pubDate>${new Date(START + i * 60_000).toUTCString()}</pubDate></item>`);
  }
  parts.push('</channel></rss>');
  return Buffer.from(parts.join(''));
}

let env: FeedTestEnv;
let app: FastifyInstance;

beforeAll(async () => {
  env = await startFeedTestEnv('huge-feed', { timeoutMs: 30_000 });
  const body = hugeFeed();
  expect(body.length).toBeGreaterThan(8 * 1024 * 1024);
  expect(body.length).toBeLessThan(15 * 1024 * 1024);
  env.server.route('/flood.xml', (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body));
  app = await buildHttpApp({
    logger: silentLogger,
    apiToken: null,
    settings: settingsFileSchema.parse({}).api,
    publicUrl: 'http://localhost',
    apiRoutes: [feedRoutes({ state: env.state, feeds: () => [env.feed('/flood.xml')] })],
    publicRoutes: [],
  });
});
afterAll(async () => {
  await app?.close();
  await env?.close();
});

describe('a feed listing 100,000 items', () => {
  it('is polled within the cap, newest first, marked seen, with the rest on its health; a second poll redoes nothing', async () => {
    const feed = env.feed('/flood.xml');
    const handedOn: NewFeedItem[][] = [];
    const deps = env.deps({ deliver: async (items) => void handedOn.push(items), force: true });

    const first = polled(await pollFeed(feed, deps));
    expect(first.status).toBe('ok');
    expect(first.itemsSeen).toBe(ITEMS);
    expect(first.newItems).toHaveLength(CAP);
    // Newest first: the last CAP items of the feed (it lists oldest first).
    expect(new Set(first.newItems.map((n) => n.item.link))).toEqual(new Set(Array.from({ length: CAP }, (_v, k) => `http://f.x/${ITEMS - 1 - k}`)));
    expect(handedOn.flat()).toHaveLength(CAP);
    expect(first.health.itemsOverCap).toBe(ITEMS - CAP);
    expect(first.health.itemsSeen).toBe(CAP);
    // Marked seen: every entry taken is in the feed's seen-set.
    expect(await env.redis.hlen(`${env.prefix}:seen:${feed.id}:fp`)).toBe(CAP);

    const second = polled(await pollFeed(feed, deps));
    expect(second.status).toBe('ok');
    expect(second.newItems).toEqual([]);
    expect(handedOn.flat()).toHaveLength(CAP);
    expect(second.health.itemsOverCap).toBe(ITEMS - CAP);

    // Visible where people look: GET /api/feeds.
    const res = await app.inject({ url: '/api/feeds' });
    expect(res.json<{ items: { health: { itemsOverCap: number; itemsSeen: number } }[] }>().items[0]?.health).toMatchObject({ itemsOverCap: ITEMS - CAP, itemsSeen: CAP });
  });
});

describe('the seen-set in Redis', () => {
  const entries = (n: number, offset = 0): SeenEntry[] => Array.from({ length: n }, (_v, i) => ({ key: `k${offset + i}`, fingerprint: `f${offset + i}` }));

  it('records and checks 150,000 entries at once (chunked, never one command per input)', async () => {
    const seen = new RedisSeenItems(env.redis, { prefix: `${env.prefix}:big`, maxPerFeed: 200_000 });
    const many = entries(150_000);
    expect((await seen.check('f', many)).fresh).toHaveLength(150_000);
    await seen.record('f', many);
    const again = await seen.check('f', many);
    expect([again.fresh.length, again.changed.length]).toEqual([0, 0]);
  });

  it('trims a feed back to its newest keys in chunks', async () => {
    let t = 0;
    const seen = new RedisSeenItems(env.redis, { prefix: `${env.prefix}:trim`, maxPerFeed: 5_000, now: () => ++t });
    await seen.record('f', entries(4_000));
    await seen.record('f', entries(8_000, 4_000));
    expect(await env.redis.zcard(`${env.prefix}:trim:seen:f:at`)).toBe(5_000);
    expect(await env.redis.hlen(`${env.prefix}:trim:seen:f:fp`)).toBe(5_000);
    // The first batch, recorded earliest, went first.
    expect((await seen.check('f', entries(4_000))).fresh).toHaveLength(4_000);
  });
});
