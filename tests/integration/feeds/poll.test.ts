import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleIdFor, canonicalUrl } from '../../../src/feeds/canonical-url.js';
import { pollFeed, type PollResult } from '../../../src/pipeline/poll.js';
import { startFeedTestEnv, type FeedTestEnv } from './feed-test-env.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/feeds/', import.meta.url));
const fixture = (file: string) => readFileSync(`${FIXTURES}${file}`);

type Polled = Exclude<PollResult, { status: 'skipped' }>;
function polled(r: PollResult): Polled {
  if (r.status === 'skipped') throw new Error(`unexpectedly skipped: ${r.reason}`);
  return r;
}

const rss = (items: { guid: string; title: string; link: string; description?: string }[]) =>
  Buffer.from(
    `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://example.org/</link>${items
      .map((i) => `<item><guid>${i.guid}</guid><title>${i.title}</title><link>${i.link}</link><description>${i.description ?? ''}</description><pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate></item>`)
      .join('')}</channel></rss>`,
  );

let env: FeedTestEnv;

beforeAll(async () => {
  env = await startFeedTestEnv('poll');
});

afterAll(async () => {
  await env?.close();
});

describe('pollFeed against a loopback server, real Redis and PostgreSQL', () => {
  it('takes in every entry once, then answers a 304 to the conditional GET with nothing new', async () => {
    const body = fixture('bbc-world-rss2.xml');
    env.server.route('/bbc.xml', (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"', 'last-modified': 'Tue, 24 Nov 2026 18:42:10 GMT' }).end(body);
    });
    const feed = env.feed('/bbc.xml');
    const first = polled(await pollFeed(feed, env.deps()));
    expect(first.status).toBe('ok');
    expect(first.httpStatus).toBe(200);
    expect(first.newItems).toHaveLength(3);
    const firstItem = first.newItems[0];
    expect(firstItem?.canonicalUrl).toBe('https://www.bbc.com/news/articles/c4g1n2x7m8zo');
    expect(firstItem?.articleId).toBe(articleIdFor('https://www.bbc.com/news/articles/c4g1n2x7m8zo'));
    expect(first.health).toMatchObject({ state: 'ok', consecutiveFailures: 0, itemsSeen: 3 });
    // <ttl>15</ttl> equals the configured 15 minutes: the next poll is 15 minutes out.
    expect(first.nextPollAt.getTime() - env.clock.now().getTime()).toBe(15 * 60_000);

    env.clock.advance(15 * 60_000);
    const second = polled(await pollFeed(feed, env.deps()));
    expect(second.status).toBe('not-modified');
    expect(second.newItems).toEqual([]);
    const last = env.server.requests.filter((r) => r.path === '/bbc.xml').at(-1);
    expect(last?.headers['if-none-match']).toBe('"v1"');
    expect(last?.headers['if-modified-since']).toBe('Tue, 24 Nov 2026 18:42:10 GMT');
    const stored = await env.state.get(feed.id);
    expect(stored).toMatchObject({ etag: '"v1"', polls: 2, itemsSeen: 3, healthState: 'ok', lastHttpStatus: 304 });
  });

  it('skips a feed that is not due yet, unless forced', async () => {
    const feed = env.feed('/bbc.xml');
    const before = env.server.requests.length;
    const r = await pollFeed(feed, env.deps());
    expect(r.status).toBe('skipped');
    expect(env.server.requests.length).toBe(before);
    const forced = await pollFeed(feed, env.deps({ force: true }));
    expect(forced.status).toBe('not-modified');
    // feeds.yaml edited to a shorter interval: the old plan is void and the feed is polled now.
    const edited = await pollFeed({ ...feed, intervalMs: 5 * 60_000 }, env.deps());
    expect(edited.status).toBe('not-modified');
    expect(edited.nextPollAt.getTime() - env.clock.now().getTime()).toBe(15 * 60_000);
    expect((await pollFeed({ ...feed, intervalMs: 5 * 60_000 }, env.deps())).status).toBe('skipped');
  });

  it('drops the validators every N polls (a stale ETag cannot hide changes forever)', async () => {
    env.server.route('/etag.xml', (req, res) => {
      if (req.headers['if-none-match'] === '"stale"') return void res.writeHead(304).end();
      res.writeHead(200, { etag: '"stale"' }).end(rss([{ guid: 'e1', title: 'Stale etag story one here', link: 'https://example.org/e1' }]));
    });
    const feed = env.feed('/etag.xml');
    const deps = env.deps({ force: true, settings: { ...env.settings, unconditionalEvery: 3 } });
    const statuses: string[] = [];
    for (let i = 0; i < 6; i++) statuses.push(polled(await pollFeed(feed, deps)).status);
    const sent = env.server.requests.filter((r) => r.path === '/etag.xml').map((r) => r.headers['if-none-match'] ?? null);
    expect(sent).toEqual([null, '"stale"', null, '"stale"', '"stale"', null]);
    expect(statuses).toEqual(['ok', 'not-modified', 'ok', 'not-modified', 'not-modified', 'ok']);
  });

  it('hands on an edited entry (same guid, new title) as an update of the same article', async () => {
    let title = 'Council adopts sanctions package against shadow fleet';
    env.server.route('/edits.xml', (_req, res) => void res.writeHead(200).end(rss([{ guid: 'g-1', title, link: 'https://example.org/a/1?utm_source=rss' }])));
    const feed = env.feed('/edits.xml');
    const first = polled(await pollFeed(feed, env.deps({ force: true })));
    expect(first.newItems).toHaveLength(1);
    const again = polled(await pollFeed(feed, env.deps({ force: true })));
    expect(again.newItems).toEqual([]);
    title = 'Council adopts 20th sanctions package against shadow fleet (updated)';
    const edited = polled(await pollFeed(feed, env.deps({ force: true })));
    expect(edited.newItems).toHaveLength(1);
    expect(edited.newItems[0]).toMatchObject({ updated: true, articleId: first.newItems[0]?.articleId, canonicalUrl: 'https://example.org/a/1' });
    expect(edited.health.itemsSeen).toBe(1);
  });

  it('keeps the article id when an edit changes the URL (same guid, new slug)', async () => {
    let link = 'https://example.org/2026/11/24/council-meets';
    env.server.route('/slug.xml', (_req, res) => void res.writeHead(200).end(rss([{ guid: 'slug-1', title: 'Council meets on energy security', link }])));
    const feed = env.feed('/slug.xml');
    const first = polled(await pollFeed(feed, env.deps({ force: true })));
    link = 'https://example.org/2026/11/24/council-agrees-energy-security-plan';
    const edited = polled(await pollFeed(feed, env.deps({ force: true })));
    expect(edited.newItems[0]).toMatchObject({ updated: true, articleId: first.newItems[0]?.articleId, canonicalUrl: link });
    // Recorded with its original id: the next poll of the unchanged entry hands on nothing.
    expect(polled(await pollFeed(feed, env.deps({ force: true }))).newItems).toEqual([]);
  });

  it('gives the same story in two feeds one article id, and marks a syndicated copy under another URL as a duplicate', async () => {
    env.server.route('/wire-a.xml', (_req, res) =>
      void res.writeHead(200).end(
        rss([
          { guid: 'a-1', title: 'Moldova and Romania sign gas interconnector deal', link: 'https://wire.example/story/1?utm_medium=feed' },
          { guid: 'a-2', title: 'Estonia raises defence spending to record level - Wire Service', link: 'https://wire.example/story/2' },
        ]),
      ),
    );
    env.server.route('/wire-b.xml', (_req, res) =>
      void res.writeHead(200).end(
        rss([
          { guid: 'b-1', title: 'Moldova and Romania sign gas interconnector deal', link: 'HTTPS://Wire.Example:443/story/1?fbclid=xyz#top' },
          { guid: 'b-2', title: 'Estonia Raises Defence Spending To Record Level | Daily Paper', link: 'https://daily.example/world/estonia-defence' },
        ]),
      ),
    );
    const a = polled(await pollFeed(env.feed('/wire-a.xml'), env.deps()));
    const b = polled(await pollFeed(env.feed('/wire-b.xml'), env.deps()));
    expect(b.newItems[0]?.articleId).toBe(a.newItems[0]?.articleId);
    expect(b.newItems[0]?.duplicateOf).toBeUndefined();
    expect(b.newItems[1]?.articleId).toBe(articleIdFor(canonicalUrl('https://daily.example/world/estonia-defence') ?? ''));
    expect(b.newItems[1]?.duplicateOf).toBe(a.newItems[1]?.articleId);
  });

  it('records a 404 as a permanent failure, backs off doubling up to the ceiling, never drops the feed, and recovers', async () => {
    let up = false;
    env.server.route('/flaky.xml', (_req, res) => {
      if (!up) return void res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
      res.writeHead(200).end(rss([{ guid: 'f-1', title: 'Back online after the outage today', link: 'https://example.org/f1' }]));
    });
    const feed = env.feed('/flaky.xml', { intervalMs: 60 * 60_000 });
    const raised: string[] = [];
    const onHealthEvent = async (e: { kind: string }) => void raised.push(e.kind);
    const start = env.clock.now().getTime();
    const delays: number[] = [];
    let last: Polled | null = null;
    const events: string[] = [];
    for (let i = 0; i < 8; i++) {
      last = polled(await pollFeed(feed, env.deps({ onHealthEvent })));
      expect(last.status).toBe('failed');
      expect(last.error).toMatchObject({ class: 'permanent', status: 404 });
      delays.push(last.nextPollAt.getTime() - env.clock.now().getTime());
      if (last.healthEvent) events.push(`${last.healthEvent.kind}:${last.health.state}`);
      env.clock.set(last.nextPollAt);
    }
    const h = 3_600_000;
    expect(delays).toEqual([h, 2 * h, 4 * h, 8 * h, 16 * h, 24 * h, 24 * h, 24 * h]);
    expect(last?.health).toMatchObject({ state: 'failing', consecutiveFailures: 8, failingSince: new Date(start).toISOString() });
    // Failing for a day raises exactly one event, on the transition.
    expect(events).toEqual(['failing:failing']);
    expect(raised).toEqual(['failing']);
    up = true;
    const back = polled(await pollFeed(feed, env.deps()));
    expect(back.status).toBe('ok');
    expect(back.health.state).toBe('ok');
    expect(back.healthEvent).toMatchObject({ kind: 'recovered', from: 'failing', to: 'ok', feedId: feed.id });
    const events2 = await env.state.recentHealthEvents(feed.id);
    expect(events2.map((e) => e.kind)).toEqual(['recovered', 'failing']);
    const failingEvent = await env.state.getHealthEvent(events2[1]?.id ?? '');
    expect(failingEvent?.error).toMatchObject({ class: 'permanent', status: 404 });
  });

  it('honours Retry-After of a 429 for this feed only', async () => {
    env.server.route('/limited.xml', (_req, res) => void res.writeHead(429, { 'retry-after': '7200' }).end('slow down'));
    const r = polled(await pollFeed(env.feed('/limited.xml'), env.deps()));
    expect(r.error).toMatchObject({ class: 'rate-limited', status: 429 });
    expect(r.nextPollAt.getTime() - env.clock.now().getTime()).toBe(7_200_000);
  });

  it('classifies a 503 challenge page as a bot wall, and an HTML page served as a feed as a parse error', async () => {
    const challenge = fixture('hostile-html-page.html');
    env.server.route('/walled.xml', (_req, res) => void res.writeHead(503, { 'content-type': 'text/html' }).end(challenge));
    env.server.route('/homepage.xml', (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><head><title>News</title></head><body>Hello</body></html>'));
    const walled = polled(await pollFeed(env.feed('/walled.xml'), env.deps()));
    expect(walled.error).toMatchObject({ class: 'bot-wall', status: 503 });
    expect(walled.health.lastError?.message).toMatch(/User-Agent, cookies or a proxy/);
    const homepage = polled(await pollFeed(env.feed('/homepage.xml'), env.deps()));
    expect(homepage.error).toMatchObject({ class: 'parse' });
    expect(homepage.error?.message).toMatch(/HTML page/);
  });

  it('sends the per-feed User-Agent, cookies, extra headers and basic auth', async () => {
    env.server.route('/private.xml', (req, res) => {
      if (req.headers.authorization !== `Basic ${Buffer.from('reader:s3cret').toString('base64')}`) return void res.writeHead(401).end();
      res.writeHead(200).end(rss([{ guid: 'p-1', title: 'Members only briefing on energy security', link: 'https://example.org/p1' }]));
    });
    const feed = env.feed('/private.xml', {
      request: { userAgent: 'Mozilla/5.0 framewatch', cookies: 'session=abc', headers: { 'X-Api-Key': 'k1' }, basicAuth: { username: 'reader', password: 's3cret' } },
    });
    const r = polled(await pollFeed(feed, env.deps()));
    expect(r.status).toBe('ok');
    const req = env.server.requests.filter((q) => q.path === '/private.xml').at(-1);
    expect(req?.headers['user-agent']).toBe('Mozilla/5.0 framewatch');
    expect(req?.headers.cookie).toBe('session=abc');
    expect(req?.headers['x-api-key']).toBe('k1');
  });

  it('fills a missing date with the time first seen and keeps the flag', async () => {
    env.server.route('/nodates.xml', (_req, res) => void res.writeHead(200).end(fixture('rss091-netscape.xml')));
    const r = polled(await pollFeed(env.feed('/nodates.xml'), env.deps()));
    expect(r.newItems[0]?.item).toMatchObject({ publishedAt: env.clock.now().toISOString(), dateFlagged: true });
  });

  it('resolves relative links against the final URL after a redirect', async () => {
    env.server.route('/old/feed.xml', (_req, res) => void res.writeHead(301, { location: '/new/feed.xml' }).end());
    env.server.route('/new/feed.xml', (_req, res) =>
      void res.writeHead(200).end(Buffer.from('<rss version="2.0"><channel><title>R</title><item><guid>r1</guid><title>Relative link resolved against final URL</title><link>story.html</link></item></channel></rss>')),
    );
    const r = polled(await pollFeed(env.feed('/old/feed.xml'), env.deps()));
    expect(r.newItems[0]?.item.link).toBe(`${env.server.url}/new/story.html`);
  });

  it('learns a busy rhythm (polls sooner), then raises quiet after a long silence and recovered on the next item', async () => {
    let count = 1;
    env.server.route('/rhythm.xml', (_req, res) =>
      void res.writeHead(200).end(rss(Array.from({ length: count }, (_, i) => ({ guid: `r-${i}`, title: `Rhythm story number ${i} about grid security`, link: `https://example.org/r/${i}` })))),
    );
    const feed = env.feed('/rhythm.xml', { intervalMs: 60 * 60_000 });
    const deps = env.deps({ force: true });
    polled(await pollFeed(feed, deps));
    // A new item every 10 minutes: the adaptive interval drops to half the configured hour.
    let r: Polled | null = null;
    for (let i = 0; i < 4; i++) {
      env.clock.advance(10 * 60_000);
      count++;
      r = polled(await pollFeed(feed, deps));
      expect(r.newItems).toHaveLength(1);
    }
    expect(r?.health.rhythmMs).toBe(10 * 60_000);
    expect((r?.nextPollAt.getTime() ?? 0) - env.clock.now().getTime()).toBe(30 * 60_000);
    // Silence: polls keep succeeding with nothing new; quiet after two days, raised once.
    const kinds: string[] = [];
    for (let h = 0; h < 60; h += 6) {
      env.clock.advance(6 * 3_600_000);
      r = polled(await pollFeed(feed, deps));
      if (r.healthEvent) kinds.push(r.healthEvent.kind);
    }
    expect(r?.health.state).toBe('quiet');
    expect(kinds).toEqual(['quiet']);
    count++;
    env.clock.advance(3_600_000);
    r = polled(await pollFeed(feed, deps));
    expect(r.health.state).toBe('ok');
    expect(r.healthEvent).toMatchObject({ kind: 'recovered', from: 'quiet' });
  });

  it('records a feed on a private address as blocked when private networks are not allowed', async () => {
    const { createSafeFetcher } = await import('../../../src/fetch/index.js');
    const strict = createSafeFetcher({ allowPrivateNetworks: false, userAgent: 'framewatch-test', timeoutMs: 2_000, maxBytes: 1 << 20, maxRedirects: 5 });
    try {
      const r = polled(await pollFeed(env.feed('/bbc.xml', { id: 'strict-bbc' }), env.deps({ fetcher: strict })));
      expect(r.status).toBe('failed');
      expect(r.error?.class).toBe('blocked');
      expect(r.nextPollAt.getTime()).toBeGreaterThan(env.clock.now().getTime());
    } finally {
      await strict.close();
    }
  });

  it('keeps honouring the feed\'s own <ttl> on polls answered 304', async () => {
    const body = fixture('kyiv-independent-rss2.xml');
    env.server.route('/ttl.xml', (req, res) => {
      if (req.headers['if-none-match'] === '"k1"') return void res.writeHead(304).end();
      res.writeHead(200, { etag: '"k1"' }).end(body);
    });
    const feed = env.feed('/ttl.xml');
    const first = polled(await pollFeed(feed, env.deps()));
    expect(first.nextPollAt.getTime() - env.clock.now().getTime()).toBe(60 * 60_000);
    env.clock.set(first.nextPollAt);
    const second = polled(await pollFeed(feed, env.deps()));
    expect(second.status).toBe('not-modified');
    expect(second.nextPollAt.getTime() - env.clock.now().getTime()).toBe(60 * 60_000);
  });

  it('fetches a feed through its own HTTP proxy', async () => {
    const { createServer, request } = await import('node:http');
    const { connect } = await import('node:net');
    const seenByProxy: string[] = [];
    const proxy = createServer((req, res) => {
      // Absolute-form request (plain HTTP through a proxy).
      seenByProxy.push(`GET ${req.url ?? ''}`);
      const upstream = request(req.url ?? '', { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      req.pipe(upstream);
    });
    proxy.on('connect', (req, client, head) => {
      seenByProxy.push(`CONNECT ${req.url ?? ''}`);
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host ?? '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    env.server.route('/proxied.xml', (_req, res) => void res.writeHead(200).end(rss([{ guid: 'px-1', title: 'Fetched through the configured proxy', link: 'https://example.org/px' }])));
    try {
      const r = polled(await pollFeed(env.feed('/proxied.xml', { request: { proxy: proxyUrl } }), env.deps()));
      expect(r.status).toBe('ok');
      expect(r.newItems[0]?.item.title).toBe('Fetched through the configured proxy');
      expect(seenByProxy.join(' ')).toContain(new URL(env.server.url).host);
    } finally {
      proxy.closeAllConnections();
      await new Promise<void>((r) => proxy.close(() => r()));
    }
  });
});
