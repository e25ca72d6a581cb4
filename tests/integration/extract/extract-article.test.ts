import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedItem } from '../../../src/domain/types.js';
import { createExtractionPool, type ExtractionPool } from '../../../src/extract/extraction-pool.js';
import { createSafeFetcher, type ClosableSafeFetcher } from '../../../src/fetch/index.js';
import { extractArticle, isTransientExtractionError, TransientFetchError, type ExtractDeps } from '../../../src/pipeline/extract.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { benchmarkFixture, deeplyNestedPage, fixtureBytes, fixtureText } from '../../unit/extract/fixture-pages.js';
import { scorePage } from '../../../src/extract/score.js';

const FEED_CONTENT = '<p>Foreign ministers failed on Thursday to agree on a new package of targeted sanctions.</p><p>Two member states held out for exemptions on energy imports, diplomats said, and talks resume next week in Luxembourg with a compromise text on the table.</p>';

function item(overrides: Partial<FeedItem> = {}): FeedItem {
  return {
    guid: 'g1',
    link: null,
    title: 'Feed title',
    publishedAt: '2026-11-20T08:00:00.000Z',
    summary: 'Foreign ministers failed to agree on targeted sanctions as two member states held out.',
    contentHtml: null,
    author: 'Feed Author',
    categories: [],
    enclosures: [],
    ...overrides,
  };
}

let server: FixtureServer;
let fetcher: ClosableSafeFetcher;
let deps: ExtractDeps;

beforeAll(async () => {
  server = await startFixtureServer();
  // Tests reach the loopback fixture server, so private networks are allowed explicitly.
  fetcher = createSafeFetcher({ allowPrivateNetworks: true, userAgent: 'framewatch-test', timeoutMs: 5_000, maxBytes: 15 * 1024 * 1024, maxRedirects: 5 });
  deps = { fetcher, engine: 'linkedom', minConfidence: 0.5 };
  const gizmodo = benchmarkFixture('gizmodo-apple-innovation');
  const serve = (path: string, type: string, body: Buffer | string, status = 200, headers: Record<string, string> = {}): void =>
    server.route(path, (_req, res) => {
      res.writeHead(status, { 'content-type': type, ...headers }).end(body);
    });
  serve('/gizmodo', 'text/html; charset=utf-8', gizmodo.html);
  serve('/redirect-target', 'text/html; charset=utf-8', gizmodo.html);
  server.route('/moved', (_req, res) => {
    res.writeHead(301, { location: '/redirect-target' }).end();
  });
  serve('/cp1251', 'text/html', fixtureBytes('vse-diety-russian.cp1251.html'));
  serve('/sjis', 'text/html', fixtureBytes('lhpat-japanese.sjis.html'));
  serve('/report.pdf', 'application/pdf', fixtureBytes('report.pdf'));
  serve('/paywall', 'text/html; charset=utf-8', fixtureText('paywall.html'));
  serve('/consent', 'text/html; charset=utf-8', fixtureText('consent-wall.html'));
  serve('/calc', 'text/html; charset=utf-8', fixtureText('calc-css.html'));
  serve('/deep', 'text/html; charset=utf-8', deeplyNestedPage(5000));
  serve('/gone', 'text/html', 'gone', 410);
  serve('/busy', 'text/html', 'busy', 503, { 'retry-after': '120' });
  serve('/throttled', 'text/html', 'slow down', 429);
  serve('/forbidden', 'text/html', '<html><body>Access denied</body></html>', 403);
  serve('/notype', '', '<!doctype html><html><body><article><p>' + 'A plain article with no content type header at all. '.repeat(30) + '</p></article></body></html>');
});

afterAll(async () => {
  await fetcher.close();
  await server.close();
});

describe('extractArticle', () => {
  it('extracts a real page with Readability and records metadata', async () => {
    const out = await extractArticle({ url: `${server.url}/gizmodo`, item: item() }, deps);
    expect(out.method).toBe('readability');
    expect(out.fallbackReason).toBeNull();
    expect(scorePage(out.text, benchmarkFixture('gizmodo-apple-innovation').truth).exact).toBe(true);
    expect(out.title).toMatch(/Apple innovation/i);
    expect(out.lang).toBe('en-US');
    expect(out.canonicalUrl).toMatch(/^https:\/\/gizmodo\.com\//);
    expect(out.wordCount).toBeGreaterThan(500);
    expect(out.confidence).toBeGreaterThan(0.5);
    expect(out.flags).not.toContain('low-confidence');
  });

  it('follows a redirect and reads the final page', async () => {
    const out = await extractArticle({ url: `${server.url}/moved`, item: item() }, deps);
    expect(out.method).toBe('readability');
    expect(out.wordCount).toBeGreaterThan(500);
  });

  it('decodes windows-1251 declared by a <meta> after the first 1024 bytes', async () => {
    const out = await extractArticle({ url: `${server.url}/cp1251`, item: item() }, deps);
    expect(out.method).toBe('readability');
    expect(out.text).toMatch(/Аткинс/);
    expect(out.text).not.toMatch(/\uFFFD|Ð|Ñ/);
  });

  it('decodes Shift_JIS from <meta http-equiv> and detects Japanese', async () => {
    const out = await extractArticle({ url: `${server.url}/sjis`, item: item() }, deps);
    expect(out.text).toMatch(/商標/);
    expect(out.lang).toBe('ja');
  });

  it('skips a PDF, using the feed summary, as a recorded non-html fallback', async () => {
    const out = await extractArticle({ url: `${server.url}/report.pdf`, item: item() }, deps);
    expect(out.method).toBe('feed-summary');
    expect(out.text).toBe(item().summary);
    expect(out.flags).toContain('non-html');
    expect(out.fallbackReason).toBe('non-html: application/pdf');
  });

  it('falls back to the feed content behind a paywall, flagged', async () => {
    const out = await extractArticle({ url: `${server.url}/paywall`, item: item({ contentHtml: FEED_CONTENT }) }, deps);
    expect(out.method).toBe('feed-content');
    expect(out.flags).toEqual(expect.arrayContaining(['paywall', 'fallback']));
    expect(out.fallbackReason).toBe('paywall');
    expect(out.text).toMatch(/^Foreign ministers failed/);
    expect(out.text).toContain('\n\nTwo member states');
    // Metadata still comes from the page.
    expect(out.byline).toBe('Ana Ruiz');
    expect(out.canonicalUrl).toBe('https://ledger.example/world/sanctions-talks-stall');
  });

  it('falls back behind a consent wall', async () => {
    const out = await extractArticle({ url: `${server.url}/consent`, item: item({ contentHtml: FEED_CONTENT }) }, deps);
    expect(out.method).toBe('feed-content');
    expect(out.flags).toContain('consent-wall');
  });

  it('records a jsdom DOM error as a fallback and survives', async () => {
    const out = await extractArticle({ url: `${server.url}/calc`, item: item() }, { ...deps, engine: 'jsdom' });
    expect(out.method).toBe('feed-summary');
    expect(out.flags).toContain('dom-error');
    expect(out.fallbackReason).toMatch(/^dom-error: jsdom could not build the page/);
  });

  it('records a deeply nested page as a fallback', async () => {
    const out = await extractArticle({ url: `${server.url}/deep`, item: item() }, deps);
    expect(out.fallbackReason).toMatch(/^too-deep/);
    expect(out.flags).toContain('too-deep');
  });

  it('treats 404, 410 and 403 as permanent: a fallback, no throw', async () => {
    for (const [path, status] of [['/missing', 404], ['/gone', 410], ['/forbidden', 403]] as const) {
      const out = await extractArticle({ url: `${server.url}${path}`, item: item() }, deps);
      expect(out.method).toBe('feed-summary');
      expect(out.fallbackReason).toBe(`http-${status}`);
      expect(out.flags).toEqual(expect.arrayContaining(['fetch-failed', `http-${status}`]));
    }
  });

  it('throws a TransientFetchError on 5xx and 429 so the queue retries', async () => {
    const busy = await extractArticle({ url: `${server.url}/busy`, item: item() }, deps).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(TransientFetchError);
    expect(isTransientExtractionError(busy)).toBe(true);
    expect((busy as TransientFetchError).code).toBe('http-503');
    expect((busy as TransientFetchError).retryAfterMs).toBe(120_000);
    const throttled = await extractArticle({ url: `${server.url}/throttled`, item: item() }, deps).catch((e: unknown) => e);
    expect((throttled as TransientFetchError).code).toBe('http-429');
  });

  it('throws a TransientFetchError when the connection is refused', async () => {
    const closed = await startFixtureServer();
    const url = `${closed.url}/article`;
    await closed.close();
    const err = await extractArticle({ url, item: item() }, deps).catch((e: unknown) => e);
    expect(isTransientExtractionError(err)).toBe(true);
    expect((err as TransientFetchError).code).toBe('network');
  });

  it('treats a blocked address as permanent when private networks are not allowed', async () => {
    const strict = createSafeFetcher({ allowPrivateNetworks: false, userAgent: 'framewatch-strict', timeoutMs: 5_000, maxBytes: 1024 * 1024, maxRedirects: 5 });
    try {
      const out = await extractArticle({ url: `${server.url}/gizmodo`, item: item() }, { ...deps, fetcher: strict });
      expect(out.method).toBe('feed-summary');
      expect(out.flags).toEqual(expect.arrayContaining(['fetch-failed', 'blocked-address']));
      expect(server.requests.filter((r) => r.headers['user-agent'] === 'framewatch-strict')).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });

  it('parses a page served without a content type when it looks like HTML', async () => {
    const out = await extractArticle({ url: `${server.url}/notype`, item: item() }, deps);
    expect(out.method).toBe('readability');
  });

  it('flags low confidence below the configured floor', async () => {
    const out = await extractArticle({ url: `${server.url}/report.pdf`, item: item() }, deps);
    expect(out.confidence).toBeLessThan(0.5);
    expect(out.flags).toContain('low-confidence');
    const lenient = await extractArticle({ url: `${server.url}/report.pdf`, item: item() }, { ...deps, minConfidence: 0 });
    expect(lenient.flags).not.toContain('low-confidence');
  });

  describe('with a worker-thread pool', () => {
    let pool: ExtractionPool;
    beforeAll(() => {
      pool = createExtractionPool({ threads: 1, engine: 'linkedom', timeoutMs: 30_000 });
    });
    afterAll(async () => {
      await pool.close();
    });

    it('gives the same article as the in-thread path', async () => {
      const inThread = await extractArticle({ url: `${server.url}/gizmodo`, item: item() }, deps);
      const pooled = await extractArticle({ url: `${server.url}/gizmodo`, item: item() }, { ...deps, pool });
      expect(pooled).toEqual(inThread);
    });
  });
});
