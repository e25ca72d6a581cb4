import { expect } from 'vitest';
import { createSafeFetcher, type ClosableSafeFetcher } from '../../src/fetch/index.js';
import { isBlockedAddress } from '../../src/fetch/address-policy.js';
import { ArticleStore } from '../../src/store/article-store.js';
import { startApiHarness, type ApiHarness } from '../helpers/api-harness.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { fakeDns } from '../unit/fetch/fetch-test-kit.js';
import { label, work } from '../integration/store/work-fixtures.js';

/** The articles stored before any hostile input arrives; every case must leave them exactly as they were. */
export const SEEDED_IDS = ['seed-sanctions', 'seed-energy', 'seed-cyber'] as const;

/** Small caps keep hostile bodies fast; the mechanisms are production's (15 MiB, 20 s). */
export const CORPUS_MAX_BYTES = 2 * 1024 * 1024;
export const CORPUS_TIMEOUT_MS = 1_500;

/**
 * One service per corpus file: the real API (buildApi) over its own PostgreSQL database and Redis prefix,
 * seeded articles, a hostile loopback site, and three fetchers:
 * - `strict`: production's address policy (nothing private or loopback), for the address spellings;
 * - `guarded`: production's policy except the hostile site's own address 127.0.0.1, with fake DNS names,
 *   so a chain can start on the site and be judged by production's rules on every later hop;
 * - `open`: loopback allowed, for hostile bodies served by the site.
 */
export interface CorpusEnv {
  h: ApiHarness;
  site: FixtureServer;
  articles: ArticleStore;
  fetchers: { strict: ClosableSafeFetcher; guarded: ClosableSafeFetcher; open: ClosableSafeFetcher };
  /** The service still answers, and every seeded article reads back exactly as before. */
  expectIntact(): Promise<void>;
  close(): Promise<void>;
}

export async function startCorpusEnv(name: string): Promise<CorpusEnv> {
  const h = await startApiHarness(name);
  const articles = new ArticleStore(h.db);
  await articles.saveArticle(work(SEEDED_IDS[0], { labels: [label('targeted-sanctions', 0.92, ['policy-focuses'], 'The council imposed sanctions on shipping firms. More.')] }));
  await articles.saveArticle(work(SEEDED_IDS[1], { text: 'Gas storage reached record levels before winter.', labels: [label('energy-security', 0.7, ['impact-areas'], 'Gas storage reached record levels before winter.')] }));
  await articles.saveArticle(work(SEEDED_IDS[2], { text: 'Hackers hit the grid operator. Services were restored.' }));
  const snapshot = async () => Promise.all(SEEDED_IDS.map(async (id) => (await h.api({ url: `/api/articles/${id}` })).body));
  const baseline = await snapshot();
  const site = await startFixtureServer();
  const common = { userAgent: 'framewatch-corpus/1', timeoutMs: CORPUS_TIMEOUT_MS, maxBytes: CORPUS_MAX_BYTES, maxRedirects: 5 };
  const dns = fakeDns({ 'news.test': ['127.0.0.1'], 'rebind.test': ['127.0.0.3'], 'mixed.test': ['127.0.0.1', '::1'], 'zero.test': ['0.0.0.0'] });
  const fetchers = {
    strict: createSafeFetcher({ ...common, allowPrivateNetworks: false }),
    guarded: createSafeFetcher({ ...common, allowPrivateNetworks: false, resolve: dns, addressPolicy: (ip) => (ip === '127.0.0.1' ? null : isBlockedAddress(ip)) }),
    open: createSafeFetcher({ ...common, allowPrivateNetworks: true }),
  };
  return {
    h,
    site,
    articles,
    fetchers,
    expectIntact: async () => {
      const health = await h.app.inject({ url: '/healthz' });
      expect(health.statusCode).toBe(200);
      expect(await snapshot()).toEqual(baseline);
    },
    close: async () => {
      await Promise.all(Object.values(fetchers).map((f) => f.close()));
      await site.close();
      await h.close();
    },
  };
}

/** Tallies each case's expected outcome, so a file can print what its corpus covers. */
export function tally(outcomes: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  return counts;
}
