import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ExtractedArticle, FeedItem } from '../../src/domain/types.js';
import { createExtractionPool, type ExtractionPool } from '../../src/extract/extraction-pool.js';
import { extractArticle, isTransientExtractionError } from '../../src/pipeline/extract.js';
import type { Handler } from '../helpers/fixture-server.js';
import { fixtureBytes } from '../unit/extract/fixture-pages.js';
import { label, work } from '../integration/store/work-fixtures.js';
import { CORPUS_MAX_BYTES, startCorpusEnv, tally, type CorpusEnv } from './corpus-env.js';
import { executableParts, XSS_VECTORS } from './xss-vectors.js';

/**
 * One hostile article page and what the extract stage must make of it: the article read and its HTML
 * sanitised, a recorded fallback to the feed's text (with the reason's prefix), or a transient error the
 * queue retries. Every extracted article is then stored and read back through the API and JSON Feed.
 */
interface PageCase {
  name: string;
  serve: Handler;
  fetcher?: 'strict' | 'guarded' | 'open';
  expect: { sanitised: true } | { fallback: string } | { transient: string };
}

const para = (n: number) => `<p>Paragraph ${n}: ministers met in Brussels to agree on the next package of measures, and officials said the talks would continue next week with partners.</p>`;
const article = (inner: string) => `<!doctype html><html><head><title>Ministers agree measures</title></head><body><article><h1>Ministers agree measures</h1>${para(1)}${para(2)}<p>Before. ${inner} After.</p>${para(3)}${para(4)}</article></body></html>`;
const html = (body: string | Buffer, headers: Record<string, string> = {}): Handler => (_req, res) => void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(body);
const redirectTo = (location: (origin: string) => string): Handler => (req, res) => void res.writeHead(302, { location: location(`http://${req.headers.host ?? ''}`) }).end();

const CASES: PageCase[] = [
  ...XSS_VECTORS.map((v): PageCase => ({ name: `XSS vector in the article: ${v.name}`, serve: html(article(v.html)), expect: { sanitised: true } })),
  { name: 'links to javascript:, data:, file: and vbscript:', serve: html(article('<a href="javascript:alert(1)">a</a> <a href="data:text/html,x">b</a> <a href="file:///etc/passwd">c</a> <a href="VBSCRIPT:x">d</a>')), expect: { sanitised: true } },
  { name: 'a UTF-7 page hiding a script', serve: html(article('+ADw-script+AD4-alert(1)+ADw-/script+AD4-'), { 'content-type': 'text/html; charset=utf-7' }), expect: { sanitised: true } },
  { name: 'a JSON-LD block that closes the script early', serve: html(article('<script type="application/ld+json">{"headline":"</script><script>alert(1)</script>"}</script>')), expect: { sanitised: true } },
  { name: 'NUL bytes in the text', serve: html(article('text\u0000with\u0000nuls')), expect: { sanitised: true } },

  // Nesting: counted as the parser builds the tree, so none of these reaches Readability.
  { name: '100,000 <div/> (600 KB)', serve: html(`<html><body>${'<div/>'.repeat(100_000)}text</body></html>`), expect: { fallback: 'too-deep' } },
  { name: '10,000 nested <div>', serve: html(`<html><body>${'<div>'.repeat(10_000)}text${'</div>'.repeat(10_000)}</body></html>`), expect: { fallback: 'too-deep' } },
  { name: 'nesting hidden behind unmatched end tags', serve: html(`<html><body>${'<div></span>'.repeat(5_000)}text</body></html>`), expect: { fallback: 'too-deep' } },
  { name: '2,000 nested tables', serve: html(`<html><body>${'<table><tr><td>'.repeat(2_000)}text</body></html>`), expect: { fallback: 'too-deep' } },
  { name: 'MathML nested 5,000 deep', serve: html(`<html><body><math>${'<mrow>'.repeat(5_000)}</math></body></html>`), expect: { fallback: 'too-deep' } },

  // Bodies and types.
  { name: 'a page over the size cap', serve: html(`<html><body>${para(0).repeat(Math.ceil((CORPUS_MAX_BYTES * 2) / para(0).length))}</body></html>`), expect: { fallback: 'fetch-failed: too-large' } },
  { name: 'a gzip bomb page', serve: html(gzipSync(Buffer.alloc(64 * 1024 * 1024)), { 'content-encoding': 'gzip' }), expect: { fallback: 'fetch-failed: too-large' } },
  { name: 'a PNG', serve: html(Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(4096, 1)]), { 'content-type': 'image/png' }), expect: { fallback: 'non-html' } },
  { name: 'a PDF', serve: html(fixtureBytes('report.pdf'), { 'content-type': 'application/pdf' }), expect: { fallback: 'non-html' } },
  { name: 'binary bytes labelled text/html', serve: html(Buffer.from(Array.from({ length: 16_384 }, (_v, i) => (i * 7919) % 256))), expect: { fallback: 'dom-error' } },
  { name: 'an unterminated comment swallowing the page', serve: html(`<html><body><!-- ${para(1)}${para(2)}</body></html>`), expect: { fallback: 'no-content' } },
  { name: 'HTTP 404', serve: (_q, res) => void res.writeHead(404).end('gone'), expect: { fallback: 'http-404' } },
  { name: 'HTTP 500', serve: (_q, res) => void res.writeHead(500).end('oops'), expect: { transient: 'http-500' } },
  {
    name: 'one byte at a time, never ending',
    serve: (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write('<')), 100);
    },
    expect: { transient: 'timeout' },
  },

  // Addresses.
  { name: 'the article on loopback (production policy)', fetcher: 'strict', serve: html(article('x')), expect: { fallback: 'fetch-failed: blocked-address' } },
  { name: 'a redirect to [::1]', fetcher: 'guarded', serve: redirectTo((o) => `http://[::1]:${new URL(o).port}/`), expect: { fallback: 'fetch-failed: blocked-address' } },
  { name: 'a redirect to a name resolving to loopback', fetcher: 'guarded', serve: redirectTo((o) => `http://rebind.test:${new URL(o).port}/`), expect: { fallback: 'fetch-failed: blocked-address' } },
  { name: 'a redirect to file:', serve: redirectTo(() => 'file:///etc/passwd'), expect: { fallback: 'fetch-failed: unsupported-scheme' } },
];

const outcomeOf = (c: PageCase) => ('sanitised' in c.expect ? 'article read, HTML sanitised' : 'fallback' in c.expect ? `recorded fallback: ${c.expect.fallback}` : `transient error (queue retries): ${c.expect.transient}`);

let env: CorpusEnv;
let pool: ExtractionPool;

beforeAll(async () => {
  env = await startCorpusEnv('sec-pages');
  // The stage's thread pool and a time limit: a guard that regressed shows as a timeout, not a hung test.
  pool = createExtractionPool({ engine: 'linkedom', timeoutMs: 10_000, threads: 1 });
  CASES.forEach((c, i) => env.site.route(`/p/${i}`, c.serve));
});
afterAll(async () => {
  await pool?.close();
  await env?.close();
});
afterEach(async () => {
  await env.expectIntact();
});

describe('hostile article pages end as recorded outcomes; what is stored and served is safe', () => {
  it('covers every kind of page of the probe', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(Object.keys(tally(CASES.map(outcomeOf))).length).toBeGreaterThan(8);
  });

  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', async (_name, i) => {
    const c = CASES[i]!;
    const port = new URL(env.site.origin).port;
    const url = c.fetcher === 'guarded' ? `http://news.test:${port}/p/${i}` : `${env.site.origin}/p/${i}`;
    const item: FeedItem = { guid: `p-${i}`, link: url, title: c.name, publishedAt: null, summary: 'Ministers agreed new measures on Tuesday.', contentHtml: null, author: null, categories: [], enclosures: [] };
    let extracted: ExtractedArticle;
    try {
      extracted = await extractArticle({ url, item }, { fetcher: env.fetchers[c.fetcher ?? 'open'], engine: 'linkedom', minConfidence: 0.5, pool });
    } catch (err) {
      if (!('transient' in c.expect) || !isTransientExtractionError(err)) throw err;
      expect(err.code).toBe(c.expect.transient);
      return;
    }
    if ('transient' in c.expect) throw new Error(`expected a transient error, got ${extracted.method}`);
    if ('fallback' in c.expect) {
      expect(extracted.method).not.toBe('readability');
      expect(extracted.fallbackReason ?? '').toMatch(new RegExp(`^${c.expect.fallback}`));
    } else {
      expect(extracted.method).toBe('readability');
    }
    // Stored like the pipeline stores it, then read back as a browser or a feed reader gets it.
    const id = `hostile-page-${i}`;
    const w = work(id, { labels: [label('targeted-sanctions', 0.8, ['policy-focuses'])] });
    await env.articles.saveArticle({ ...w, extracted });
    const stored = (await env.h.api({ url: `/api/articles/${id}` })).json<{ html: string | null }>();
    expect(executableParts(stored.html ?? '')).toEqual([]);
    const feed = (await env.h.api({ url: '/feeds/all.json?limit=500' })).json<{ items: { id: string; content_html?: string }[] }>();
    expect(executableParts(feed.items.find((x) => x.id === id)?.content_html ?? '')).toEqual([]);
  });
});
