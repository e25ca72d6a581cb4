import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsFileSchema } from '../../../src/config/settings-schema.js';
import type { Classifier, FeedConfig } from '../../../src/domain/types.js';
import { articleIdFor, canonicalUrl } from '../../../src/feeds/canonical-url.js';
import { createSafeFetcher, type ClosableSafeFetcher } from '../../../src/fetch/index.js';
import { silentLogger } from '../../../src/obs/logger.js';
import { scanOnce, type ScannedArticle } from '../../../src/service/scan-once.js';
import { migrate } from '../../../src/store/migrate.js';
import { PgliteDb } from '../../../src/store/pglite-db.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';

let site: FixtureServer;
let fetcher: ClosableSafeFetcher;
let db: PgliteDb;

const paragraph = 'Defence ministers of the alliance met in Brussels to agree on export controls for dual-use goods and on new support for air defence. ';
const page = (title: string) => `<!doctype html><html lang="en"><head><title>${title}</title></head><body><article><h1>${title}</h1><p>${paragraph.repeat(3)}</p><p>${paragraph.repeat(2)}</p></article></body></html>`;
const rss = (items: { title: string; link: string }[]) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://example.org/</link>${items
    .map((i) => `<item><guid>${i.link}</guid><title>${i.title}</title><link>${i.link}</link><description>A short summary of the story.</description><pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate></item>`)
    .join('')}</channel></rss>`;

const classifier: Classifier = {
  framework: 'fw-test',
  model: 'm-test',
  classify: ({ text }) => ({ labels: [], relevance: text.length > 0 ? 1 : 0, framework: 'fw-test', model: 'm-test' }),
};

beforeAll(async () => {
  site = await startFixtureServer();
  fetcher = createSafeFetcher({ allowPrivateNetworks: true, userAgent: 'test', timeoutMs: 5_000, maxBytes: 1_000_000, maxRedirects: 3 });
  db = await PgliteDb.open(null);
  await migrate(db);
});
afterAll(async () => {
  await fetcher.close();
  await site.close();
  await db.close();
});

describe('scanOnce: one pass over the feeds in one process', () => {
  it('outputs each article once, with every feed it was seen in, and falls back to the feed text when a page is down', async () => {
    const title = 'Defence ministers agree export controls in Brussels';
    site.route('/a.xml', (_req, res) =>
      void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(
        rss([
          { title, link: `${site.url}/p/1` },
          { title: 'Grain corridor talks resume after a pause', link: `${site.url}/p/2` },
        ]),
      ),
    );
    // The same headline under another URL: a syndicated copy of the first article.
    site.route('/b.xml', (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([{ title, link: `${site.url}/mirror/1` }])));
    site.route('/p/1', (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end(page(title)));
    site.route('/p/2', (_req, res) => void res.writeHead(503, { 'content-type': 'text/plain' }).end('down'));
    const feed = (path: string, name: string): FeedConfig => ({ id: `feed-${name}`, url: `${site.url}${path}`, name, intervalMs: 900_000, tags: [], request: {} });

    const out: ScannedArticle[] = [];
    const report = await scanOnce({
      config: { settings: settingsFileSchema.parse({}) },
      feeds: [feed('/a.xml', 'A'), feed('/b.xml', 'B')],
      fetcher,
      classifier,
      db,
      logger: silentLogger,
      onArticle: (a) => void out.push(a),
    });

    expect(report).toEqual({
      feeds: [
        { id: 'feed-A', name: 'A', status: 'ok', items: 2, error: null },
        { id: 'feed-B', name: 'B', status: 'ok', items: 1, error: null },
      ],
      articles: 2,
      labelled: 0,
    });
    const byUrl = new Map(out.map((a) => [a.url, a]));
    const first = byUrl.get(canonicalUrl(`${site.url}/p/1`) ?? '');
    expect(first?.id).toBe(articleIdFor(canonicalUrl(`${site.url}/p/1`) ?? ''));
    expect(first?.feeds.map((f) => f.feedName)).toEqual(['A', 'B']);
    expect(first?.extraction.method).toBe('readability');
    expect(first).toMatchObject({ title, framework: 'fw-test', model: 'm-test' });
    const down = byUrl.get(canonicalUrl(`${site.url}/p/2`) ?? '');
    expect(down?.feeds.map((f) => f.feedName)).toEqual(['A']);
    expect(down?.extraction).toMatchObject({ method: 'feed-summary', fallbackReason: 'http-503: article page answered 503' });
    expect(down?.extraction.flags).toEqual(expect.arrayContaining(['fetch-failed', 'retries-exhausted']));
  });
});
