import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { settingsFileSchema } from '../../src/config/settings-schema.js';
import type { FeedConfig, FeedErrorClass } from '../../src/domain/types.js';
import type { ClosableSafeFetcher } from '../../src/fetch/index.js';
import { RedisSeenItems } from '../../src/feeds/seen-items.js';
import { RedisTitleIndex } from '../../src/feeds/title-index.js';
import { pollFeed, type PollResult } from '../../src/pipeline/poll.js';
import { FeedStateStore } from '../../src/store/feed-state-store.js';
import type { Handler } from '../helpers/fixture-server.js';
import { TEST_REDIS_URL } from '../helpers/redis.js';
import { ManualClock } from '../integration/feeds/feed-test-env.js';
import { CORPUS_MAX_BYTES, startCorpusEnv, tally, type CorpusEnv } from './corpus-env.js';

type Polled = Exclude<PollResult, { status: 'skipped' }>;

/**
 * One hostile feed: where it is (an absolute URL, or a handler served on the hostile site), which fetcher
 * reads it, and the expected outcome: an error class recorded on the feed, or a successful poll whose
 * result `check` inspects (`taken` names what it shows, for the tally).
 */
interface FeedCase {
  name: string;
  url?: (origin: string, port: number) => string;
  serve?: Handler;
  fetcher?: 'strict' | 'guarded' | 'open';
  expect: { error: FeedErrorClass; message?: RegExp } | { taken: string; check: (r: Polled) => void };
}

const FIXTURES = new URL('../fixtures/feeds/', import.meta.url);
const fixture = (file: string) => readFileSync(new URL(file, FIXTURES));
const rss = (items: string) => `<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title><link>https://hostile.example/</link>${items}</channel></rss>`;
const item = (guid: string, link: string, title = `Item ${guid}`) => `<item><guid isPermaLink="false">${guid}</guid><title>${title}</title><link>${link}</link><description>d</description></item>`;
const send = (body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/rss+xml' }): Handler => (_req, res) => void res.writeHead(200, headers).end(body);
const redirectTo = (location: (origin: string) => string): Handler => (req, res) => void res.writeHead(302, { location: location(`http://${req.headers.host ?? ''}`) }).end();
const noPollution = () => expect(({} as Record<string, unknown>).polluted ?? ({} as Record<string, unknown>).isAdmin).toBeUndefined();

/** Writes `total` bytes, honouring backpressure, until done or the client goes away. */
async function stream(res: ServerResponse, total: number): Promise<void> {
  const chunk = Buffer.alloc(256 * 1024, 0x61);
  res.writeHead(200, { 'content-type': 'application/rss+xml' });
  res.write('<rss version="2.0"><channel><title>');
  for (let sent = 0; sent < total && !res.destroyed; sent += chunk.length) {
    if (!res.write(chunk)) await new Promise<void>((r) => (res.once('drain', r), res.once('close', r)));
  }
  res.end('</title></channel></rss>');
}

// The probe's 21 loopback spellings and more: every one is refused after URL parsing and DNS.
const LOOPBACK_SPELLINGS = [
  '127.0.0.1', '127.1', '127.0.1', '2130706433', '0x7f000001', '0x7f.0.0.1', '0x7f.1', '0177.0.0.1', '017700000001', '127.000.000.001',
  '127.255.255.254', 'localhost', 'LOCALHOST', '[::1]', '[0:0:0:0:0:0:0:1]', '[0::1]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[::127.0.0.1]',
  '[64:ff9b::127.0.0.1]', '[2002:7f00:1::]', '0.0.0.0', '0', '[::]', '127。0。0。1', '①②⑦.0.0.1', '127.0.0.1.', '%31%32%37.0.0.1', 'user:pw@127.0.0.1',
];

const CASES: FeedCase[] = [
  ...LOOPBACK_SPELLINGS.map((host): FeedCase => ({ name: `loopback spelled ${host}`, fetcher: 'strict', url: (_o, port) => `http://${host}:${port}/feed.xml`, expect: { error: 'blocked' } })),

  // Redirect chains: the first hop is the site, every later hop is judged by production's policy.
  { name: 'redirect to [::1]', fetcher: 'guarded', serve: redirectTo((o) => `http://[::1]:${new URL(o).port}/feed.xml`), expect: { error: 'blocked', message: /::1/ } },
  { name: 'redirect to 127.0.0.2', fetcher: 'guarded', serve: redirectTo((o) => `http://127.0.0.2:${new URL(o).port}/`), expect: { error: 'blocked' } },
  { name: 'redirect to 0.0.0.0', fetcher: 'guarded', serve: redirectTo((o) => `http://0.0.0.0:${new URL(o).port}/`), expect: { error: 'blocked' } },
  { name: 'redirect to the decimal spelling of 127.0.0.2', fetcher: 'guarded', serve: redirectTo((o) => `http://2130706434:${new URL(o).port}/`), expect: { error: 'blocked' } },
  { name: 'redirect to a name resolving to loopback', fetcher: 'guarded', serve: redirectTo((o) => `http://rebind.test:${new URL(o).port}/`), expect: { error: 'blocked', message: /rebind\.test/ } },
  { name: 'redirect to a name with one allowed and one loopback address', fetcher: 'guarded', serve: redirectTo((o) => `http://mixed.test:${new URL(o).port}/`), expect: { error: 'blocked' } },
  { name: 'redirect to a name resolving to 0.0.0.0', fetcher: 'guarded', serve: redirectTo((o) => `http://zero.test:${new URL(o).port}/`), expect: { error: 'blocked' } },
  { name: 'redirect to an allowed name, then to [::ffff:127.0.0.2]', fetcher: 'guarded', serve: redirectTo((o) => `http://news.test:${new URL(o).port}/hop2`), expect: { error: 'blocked', message: /ipv4Mapped/ } },
  { name: 'redirect to file:///etc/passwd', serve: redirectTo(() => 'file:///etc/passwd'), expect: { error: 'permanent', message: /file:/ } },
  { name: 'redirect to javascript:', serve: redirectTo(() => 'javascript:alert(1)'), expect: { error: 'permanent' } },
  { name: 'redirect to data:', serve: redirectTo(() => 'data:application/rss+xml,<rss/>'), expect: { error: 'permanent' } },
  { name: 'redirect loop', serve: redirectTo((o) => `${o}/loop`), expect: { error: 'permanent', message: /redirect/ } },

  // Bodies.
  { name: 'billion laughs (entity expansion)', serve: send(fixture('hostile-billion-laughs.xml')), expect: { taken: 'entities left unexpanded', check: (r) => expect(r.newItems[0]?.item.title).toBe('&lol9;') } },
  { name: 'external entity (XXE)', serve: send(fixture('hostile-external-entity.xml')), expect: { error: 'parse', message: /external entity/ } },
  { name: 'parameter entity XXE', serve: send('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % x SYSTEM "file:///etc/passwd"> %x;]><rss version="2.0"><channel><title>t</title></channel></rss>'), expect: { error: 'parse' } },
  { name: 'gzip bomb (64 MiB of zeros)', serve: send(gzipSync(Buffer.alloc(64 * 1024 * 1024)), { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' }), expect: { error: 'too-large' } },
  { name: 'deflate bomb', serve: send(deflateSync(Buffer.alloc(32 * 1024 * 1024)), { 'content-type': 'application/rss+xml', 'content-encoding': 'deflate' }), expect: { error: 'too-large' } },
  { name: 'brotli bomb', serve: send(brotliCompressSync(Buffer.alloc(32 * 1024 * 1024)), { 'content-type': 'application/rss+xml', 'content-encoding': 'br' }), expect: { error: 'too-large' } },
  { name: 'oversized body streamed past the cap', serve: (_q, res) => stream(res, CORPUS_MAX_BYTES * 3), expect: { error: 'too-large' } },
  { name: 'declared Content-Length over the cap', serve: (_q, res) => void res.writeHead(200, { 'content-length': String(CORPUS_MAX_BYTES * 10) }).write('<rss>'), expect: { error: 'too-large' } },
  {
    name: 'one byte at a time, never ending',
    serve: (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write('<')), 100);
    },
    expect: { error: 'timeout' },
  },
  { name: 'a server that never answers', serve: () => undefined, expect: { error: 'timeout' } },
  { name: 'invalid XML', serve: send(fixture('hostile-invalid-xml.xml')), expect: { error: 'parse', message: /invalid XML/ } },
  { name: 'elements nested 100,000 deep', serve: send(rss(`${'<x>'.repeat(100_000)}${'</x>'.repeat(100_000)}`)), expect: { error: 'parse' } },
  { name: 'an HTML page instead of a feed', serve: send('<!doctype html><html><body><p>hello</p></body></html>', { 'content-type': 'text/html' }), expect: { error: 'parse' } },
  { name: 'binary bytes (a PNG)', serve: send(Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(4096, 7)]), { 'content-type': 'image/png' }), expect: { error: 'parse' } },
  { name: 'random binary bytes as RSS', serve: send(Buffer.from(Array.from({ length: 8192 }, (_v, i) => (i * 7919) % 256)), { 'content-type': 'application/rss+xml' }), expect: { error: 'parse' } },
  { name: 'an empty body', serve: send(''), expect: { error: 'parse' } },
  { name: 'a truncated JSON Feed', serve: send(fixture('jsonfeed-truncated.json'), { 'content-type': 'application/feed+json' }), expect: { error: 'parse' } },
  { name: 'a bot-wall challenge page', serve: (_q, res) => void res.writeHead(403, { 'content-type': 'text/html' }).end('<html><head><title>Just a moment...</title></head><body>cf-browser-verification</body></html>'), expect: { error: 'bot-wall' } },
  { name: 'HTTP 500', serve: (_q, res) => void res.writeHead(500).end('oops'), expect: { error: 'transient' } },
  { name: 'HTTP 429 with an absurd Retry-After', serve: (_q, res) => void res.writeHead(429, { 'retry-after': '999999999999' }).end(), expect: { error: 'rate-limited' } },
  { name: 'HTTP 410', serve: (_q, res) => void res.writeHead(410).end(), expect: { error: 'permanent' } },

  // Prototype keys and hostile links: taken in, with nothing polluted and no dangerous URL handed on.
  { name: '__proto__ and constructor elements in RSS', serve: send(fixture('hostile-proto-elements.xml')), expect: { taken: 'no prototype pollution', check: (r) => (expect(r.newItems).toHaveLength(1), noPollution()) } },
  {
    name: '__proto__ keys in a JSON Feed',
    serve: send('{"version":"https://jsonfeed.org/version/1.1","title":"x","__proto__":{"polluted":"yes"},"items":[{"id":"1","url":"https://hostile.example/1","title":"One","content_text":"t","__proto__":{"isAdmin":true}}]}', { 'content-type': 'application/feed+json' }),
    expect: { taken: 'no prototype pollution', check: (r) => (expect(r.newItems.map((n) => n.item.title)).toEqual(['One']), noPollution()) },
  },
  {
    name: 'constructor.prototype keys in a JSON Feed',
    serve: send('{"version":"https://jsonfeed.org/version/1.1","title":"x","constructor":{"prototype":{"polluted":"yes"}},"items":[{"id":"1","url":"https://hostile.example/2","title":"Two","content_text":"t"}]}', { 'content-type': 'application/feed+json' }),
    expect: { taken: 'no prototype pollution', check: (r) => (expect(r.newItems).toHaveLength(1), noPollution()) },
  },
  {
    name: 'javascript:, data: and file: item links',
    serve: send(rss(item('js', 'javascript:alert(1)') + item('data', 'data:text/html,<script>alert(1)</script>') + item('file', 'file:///etc/passwd') + item('vb', 'VBScript:msgbox(1)'))),
    expect: { taken: 'dangerous links dropped', check: (r) => (expect(r.newItems).toHaveLength(4), expect(r.newItems.map((n) => n.item.link)).toEqual([null, null, null, null])) },
  },
  {
    name: 'item links to loopback and private addresses (taken in; the page fetch is refused later)',
    serve: send(rss(item('lo', 'http://127.0.0.1/admin') + item('meta', 'http://169.254.169.254/latest/meta-data/'))),
    expect: { taken: 'links kept for the guarded page fetch', check: (r) => expect(r.newItems.map((n) => n.item.link)).toEqual(['http://127.0.0.1/admin', 'http://169.254.169.254/latest/meta-data/']) },
  },
  {
    name: '3,000 items: the newest 1,000 taken, the rest counted on the feed',
    serve: send(rss(Array.from({ length: 3_000 }, (_v, i) => `<item><title>n${i}</title><link>https://hostile.example/n/${i}</link><pubDate>${new Date(Date.UTC(2026, 0, 1, 0, i)).toUTCString()}</pubDate></item>`).join(''))),
    expect: { taken: 'capped per poll', check: (r) => (expect(r.newItems).toHaveLength(1_000), expect(r.health.itemsOverCap).toBe(2_000), expect(r.newItems.map((n) => n.item.title)).toContain('n2999')) },
  },
  {
    name: 'a 1 MB title',
    serve: send(rss(item('long', 'https://hostile.example/long', 'T'.repeat(1024 * 1024)))),
    expect: { taken: 'taken in whole', check: (r) => expect(r.newItems[0]?.item.title.length).toBeGreaterThan(1000) },
  },
  {
    name: 'NUL bytes and control characters in fields',
    serve: send(rss(item('nul', 'https://hostile.example/nul', 'Title&#0;with&#1;controls'))),
    expect: { taken: 'taken in', check: (r) => expect(r.newItems).toHaveLength(1) },
  },
  {
    name: 'a charset label that lies (UTF-16 declared, ASCII sent)',
    serve: send(rss(item('cs', 'https://hostile.example/cs', 'Plain')), { 'content-type': 'application/rss+xml; charset=utf-16' }),
    expect: { error: 'parse' },
  },
];

let env: CorpusEnv;
let redis: Redis;
let state: FeedStateStore;
const clock = new ManualClock(Date.parse('2026-11-24T12:00:00Z'));
const settings = settingsFileSchema.parse({}).poll;

beforeAll(async () => {
  env = await startCorpusEnv('sec-feeds');
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  state = new FeedStateStore(env.h.db);
  CASES.forEach((c, i) => c.serve && env.site.route(`/c/${i}`, c.serve));
  env.site.route('/c/loop', redirectTo((o) => `${o}/c/loop`));
  env.site.route('/hop2', redirectTo((o) => `http://[::ffff:127.0.0.2]:${new URL(o).port}/feed.xml`));
});
afterAll(async () => {
  redis?.disconnect();
  await env?.close();
});
afterEach(async () => {
  await env.expectIntact();
});

describe('hostile feeds end as recorded outcomes, and the service and stored articles are untouched', () => {
  it('covers every kind of input of the probe', () => {
    const outcomes = tally(CASES.map((c) => ('error' in c.expect ? `recorded error: ${c.expect.error}` : `taken in: ${c.expect.taken}`)));
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(Object.keys(outcomes).length).toBeGreaterThan(8);
  });

  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', async (_name, i) => {
    const c = CASES[i]!;
    const port = Number(new URL(env.site.origin).port);
    const path = c.name === 'redirect loop' ? '/c/loop' : `/c/${i}`;
    const url = c.url ? c.url(env.site.origin, port) : `${c.fetcher === 'guarded' ? `http://news.test:${port}` : env.site.origin}${path}`;
    const feed: FeedConfig = { id: `hostile-${i}`, url, name: c.name, intervalMs: 900_000, tags: [], request: {} };
    const fetcher: ClosableSafeFetcher = env.fetchers[c.fetcher ?? 'open'];
    const seen = new RedisSeenItems(redis, { prefix: env.h.prefix });
    const titles = new RedisTitleIndex(redis, { prefix: env.h.prefix });
    const result = await pollFeed(feed, { fetcher, state, seen, titles, clock, settings, force: true });
    if (result.status === 'skipped') throw new Error('skipped');
    if ('error' in c.expect) {
      expect(result.status).toBe('failed');
      expect(result.error?.class).toBe(c.expect.error);
      if (c.expect.message) expect(result.error?.message).toMatch(c.expect.message);
      // Recorded on the feed and the feed stays scheduled.
      expect((await state.get(feed.id))?.lastError?.class).toBe(c.expect.error);
      expect(result.nextPollAt.getTime()).toBeGreaterThan(clock.now().getTime());
    } else {
      expect(result.status).toBe('ok');
      c.expect.check(result);
    }
  });
});
