/**
 * npm run bench:pipeline [-- --articles 2000 --feeds 40]
 *
 * N articles (real benchmark pages served from loopback under distinct URLs) through the real service:
 * once with one `framewatch start` process, once with `start` plus one `worker` process. Prints articles
 * per second, the ratio to the bare stage functions run in a loop in this same run, publish→stored and
 * publish→webhook latency (p50/p95), and each run's RSS at start, middle and end.
 *
 * Needs Redis on 127.0.0.1:6379 and PostgreSQL on 127.0.0.1:5432 (as the tests do); uses its own key
 * prefix and its own database and removes them afterwards.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config/load-config.js';
import { loadClassifier } from '../src/classifiers/index.js';
import { createExtractionPool } from '../src/extract/extraction-pool.js';
import { createSafeFetcher } from '../src/fetch/index.js';
import { articleIdFor, canonicalUrl } from '../src/feeds/canonical-url.js';
import type { ArticleWork, FeedItem } from '../src/domain/types.js';
import { classifyArticle } from '../src/pipeline/classify.js';
import { extractArticle } from '../src/pipeline/extract.js';
import { storeArticle } from '../src/pipeline/store.js';
import { ArticleStore } from '../src/store/article-store.js';
import { migrate } from '../src/store/migrate.js';
import { openDatabase } from '../src/store/open-database.js';
import { loadBenchmark } from './lib/extract-data.js';
import { startFixtureServer, type FixtureServer } from '../tests/helpers/fixture-server.js';
import { createTestDatabase } from '../tests/helpers/postgres.js';
import { deleteKeysWithPrefix, TEST_REDIS_URL } from '../tests/helpers/redis.js';
import { freePort, REPO_ROOT, spawnFramewatch, type ServiceProcess } from '../tests/helpers/service-process.js';

const { values: args } = parseArgs({ options: { articles: { type: 'string', default: '2000' }, feeds: { type: 'string', default: '40' } } });
const N = Number(args.articles);
const FEEDS = Number(args.feeds);
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const pages = loadBenchmark();

interface RunResult {
  label: string;
  seconds: number;
  perSecond: number;
  stored: number[];
  hooked: number[];
  rss: { start: number; middle: number; end: number };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function rssOf(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      total += Number(kb ?? 0) * 1024;
    } catch {
      // The process ended between samples.
    }
  }
  return total;
}

function itemTitle(i: number): string {
  return `Benchmark article ${i}`;
}

/** Serves FEEDS feeds listing N articles (empty until `publish()`), and the article pages. */
function serveSite(site: FixtureServer): { publish: () => number } {
  let publishedAt = 0;
  const perFeed = Math.ceil(N / FEEDS);
  for (let f = 0; f < FEEDS; f++) {
    site.route(`/f/${f}.rss`, (_req, res) => {
      const items = publishedAt === 0 ? [] : Array.from({ length: perFeed }, (_, k) => f * perFeed + k).filter((i) => i < N);
      const xml = items
        .map((i) => `<item><title>${itemTitle(i)}</title><link>${site.origin}/a/${i}</link><guid isPermaLink="false">bench-${i}</guid><pubDate>${new Date(publishedAt).toUTCString()}</pubDate><description>Article ${i}</description></item>`)
        .join('');
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Bench ${f}</title><link>${site.origin}/</link><description>b</description>${xml}</channel></rss>`);
    });
  }
  for (let i = 0; i < N; i++) {
    // Each URL must be its own article: the pages repeat every 181, and the pipeline rightly merges links
    // whose pages name the same canonical address, so the repeats name their own URL instead.
    const html = ownCanonical(pages[i % pages.length]?.html ?? '', `${site.origin}/a/${i}`);
    site.route(`/a/${i}`, (_req, res) => void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
  }
  return {
    publish: () => (publishedAt = Date.now()),
  };
}

function ownCanonical(html: string, url: string): string {
  return html
    .replace(/<link[^>]+rel=["']?canonical["']?[^>]*>/gi, '')
    .replace(/<meta[^>]+property=["']og:url["'][^>]*>/gi, '')
    .replace(/<head([^>]*)>/i, `<head$1><link rel="canonical" href="${url}">`);
}

async function runService(label: string, extraWorkers: number): Promise<RunResult> {
  const db = await createTestDatabase('bench_pipeline');
  const prefix = `{fwbench-${Date.now()}}`;
  const site = await startFixtureServer();
  const receiver = await startFixtureServer();
  const hookTimes = new Map<string, number>();
  receiver.route('/hook', (_req, res) => {
    const body = JSON.parse(receiver.requests.at(-1)?.body ?? '{}') as { data?: { article?: { id?: string } } };
    const id = body.data?.article?.id;
    if (id && !hookTimes.has(id)) hookTimes.set(id, Date.now());
    res.writeHead(204).end();
  });
  const { publish } = serveSite(site);
  const configDir = mkdtempSync(join(tmpdir(), 'fw-bench-'));
  copyFileSync(join(REPO_ROOT, 'config', 'framework.yaml'), join(configDir, 'framework.yaml'));
  writeFileSync(join(configDir, 'feeds.yaml'), ['feeds:', ...Array.from({ length: FEEDS }, (_, f) => `  - { url: "${site.origin}/f/${f}.rss", name: "Bench ${f}", interval: 2s }`)].join('\n'));
  writeFileSync(
    join(configDir, 'alerts.yaml'),
    ['endpoints:', '  - id: bench', `    url: ${receiver.origin}/hook`, `    secret: ${SECRET}`, 'rules:', '  - id: any-label', '    groups: [aspects, impact-areas, policy-focuses]', '    endpoints: [bench]'].join('\n'),
  );
  writeFileSync(join(configDir, 'settings.yaml'), ['poll:', '  floor: 1s', '  perHostConcurrency: 8', '  perHostGap: 0s'].join('\n').replace('0s', '1ms'));
  const port = await freePort();
  const env = {
    REDIS_URL: TEST_REDIS_URL,
    DATABASE_URL: db.url,
    FRAMEWATCH_QUEUE_PREFIX: prefix,
    FRAMEWATCH_CONFIG: configDir,
    FRAMEWATCH_ALLOW_PRIVATE_NETWORKS: 'true',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  const processes: ServiceProcess[] = [spawnFramewatch(['start'], env)];
  for (let w = 0; w < extraWorkers; w++) processes.push(spawnFramewatch(['worker'], env));
  const client = new pg.Client({ connectionString: db.url });
  try {
    for (let i = 0; ; i++) {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.ok) break;
      if (i > 600) throw new Error(`service did not become ready: ${processes[0]?.logs.slice(-5).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await client.connect();
    const pids = processes.map((p) => p.child.pid ?? 0);
    const rss = { start: rssOf(pids), middle: 0, end: 0 };
    const t0 = publish();
    let count = 0;
    while (count < N) {
      await new Promise((r) => setTimeout(r, 250));
      count = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM articles WHERE model_version IS NOT NULL')).rows[0]?.n ?? 0);
      if (rss.middle === 0 && count >= N / 2) rss.middle = rssOf(pids);
      if (Date.now() - t0 > 15 * 60_000) throw new Error(`only ${count}/${N} stored after 15 minutes`);
    }
    const seconds = (Date.now() - t0) / 1000;
    rss.end = rssOf(pids);
    const rows = (await client.query<{ id: string; created_at: Date }>('SELECT id, created_at FROM articles')).rows;
    const stored = rows.map((r) => r.created_at.getTime() - t0);
    // Give deliveries of the last articles a moment to arrive.
    await new Promise((r) => setTimeout(r, 3_000));
    const hooked = [...hookTimes.values()].map((t) => t - t0);
    return { label, seconds, perSecond: N / seconds, stored, hooked, rss };
  } finally {
    await client.end().catch(() => undefined);
    await Promise.all(processes.map((p) => p.stop(30_000)));
    await site.close();
    await receiver.close();
    await db.drop();
    const redis = new Redis(TEST_REDIS_URL);
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
    rmSync(configDir, { recursive: true, force: true });
  }
}

/** The same stage functions in a loop in this process: extraction on the same thread pool, then classify and store. */
async function runBare(): Promise<{ seconds: number; perSecond: number }> {
  const db = await createTestDatabase('bench_bare');
  const site = await startFixtureServer();
  serveSite(site);
  const config = loadConfig({ configDir: join(REPO_ROOT, 'config'), env: {} });
  const store = await openDatabase({ url: db.url, dataDir: tmpdir() });
  await migrate(store);
  const articles = new ArticleStore(store);
  const classifier = await loadClassifier(config.framework);
  const fetcher = createSafeFetcher({ allowPrivateNetworks: true, userAgent: 'bench', timeoutMs: 20_000, maxBytes: 15 * 1024 * 1024, maxRedirects: 5 });
  const pool = createExtractionPool({ engine: config.settings.extract.engine, timeoutMs: 30_000 });
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < N; i = next++) {
      const url = `${site.origin}/a/${i}`;
      const item: FeedItem = { guid: `bench-${i}`, link: url, title: itemTitle(i), publishedAt: null, summary: `Article ${i}`, contentHtml: null, author: null, categories: [], enclosures: [] };
      const extracted = await extractArticle({ url, item }, { fetcher, engine: config.settings.extract.engine, minConfidence: config.settings.extract.minConfidence, pool });
      const classification = classifyArticle({ title: extracted.title ?? item.title, text: extracted.text }, classifier);
      const canonical = canonicalUrl(url) ?? url;
      const work: ArticleWork = {
        id: articleIdFor(canonical),
        canonicalUrl: canonical,
        item,
        sightings: [{ feedId: 'bench', feedName: 'Bench', link: url, guid: item.guid, seenAt: new Date().toISOString() }],
        firstSeenAt: new Date().toISOString(),
        extracted,
        classification,
        trace: [],
      };
      await storeArticle(work, { articles, clock: { now: () => new Date() } });
    }
  };
  // As many in flight as the service's default extract concurrency.
  await Promise.all(Array.from({ length: config.settings.extract.concurrency }, worker));
  const seconds = (Date.now() - started) / 1000;
  await pool.close();
  await fetcher.close();
  await store.close();
  await site.close();
  await db.drop();
  return { seconds, perSecond: N / seconds };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const ms = (v: number) => (Number.isNaN(v) ? 'n/a' : `${(v / 1000).toFixed(1)} s`);

console.log(`bench:pipeline — ${N} articles in ${FEEDS} feeds (real benchmark pages, loopback), ${pages.length} distinct pages`);
const bare = await runBare();
console.log(`bare stage functions in a loop: ${bare.perSecond.toFixed(1)} articles/s (${bare.seconds.toFixed(1)} s)`);
const runs = [await runService('1 process (start)', 0), await runService('2 processes (start + worker)', 1)];
console.log('');
console.log('| run | articles/s | ratio to bare | publish→stored p50 / p95 | publish→webhook p50 / p95 (n) | RSS start / middle / end |');
console.log('|---|---|---|---|---|---|');
for (const r of runs) {
  console.log(
    `| ${r.label} | ${r.perSecond.toFixed(1)} | ${(r.perSecond / bare.perSecond).toFixed(2)} | ${ms(percentile(r.stored, 50))} / ${ms(percentile(r.stored, 95))} | ${ms(percentile(r.hooked, 50))} / ${ms(percentile(r.hooked, 95))} (${r.hooked.length}) | ${mb(r.rss.start)} / ${mb(r.rss.middle)} / ${mb(r.rss.end)} |`,
  );
}
process.exit(0);
