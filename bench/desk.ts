/**
 * `npm run bench:desk [-- --articles 10000 --runs 30]`: the review desk with a full store. Stores N
 * classified articles (real, openly licensed texts from data/, classified by the real model, spread over
 * 90 days, 24 feeds and three languages, a fifth of them reviewed) in a fresh PostgreSQL database of its
 * own, then measures, over the real HTTP server on loopback with a signed-in session:
 *   - the inbox's filtered page: the desk's data request (`GET /api/articles?…`) and the page itself (`GET /`),
 *     median and p95 (goal ≤ 300 ms);
 *   - the same filters straight on the store (where the time goes);
 *   - what a first page load moves: the desk's JavaScript and CSS, compressed as served (goal ≤ 200 KB).
 * Needs Redis and PostgreSQL on the machine, like the tests; removes its database and keys at the end.
 */
import { request } from 'node:http';
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { loadClassifier } from '../src/classifiers/index.js';
import { loadConfig } from '../src/config/load-config.js';
import type { ArticleWork } from '../src/domain/types.js';
import { RedisSessionStore, tokenSubject } from '../src/http/sessions.js';
import { silentLogger } from '../src/obs/logger.js';
import { Metrics } from '../src/obs/metrics.js';
import { QueueClient } from '../src/queues/queue-client.js';
import { buildApi } from '../src/service/build-api.js';
import { FeedRegistry } from '../src/service/feed-registry.js';
import { WorkerHealth } from '../src/service/worker-health.js';
import { ArticleStore, type ArticleQuery } from '../src/store/article-store.js';
import { migrate } from '../src/store/migrate.js';
import { PgDb } from '../src/store/pg-db.js';
import { systemClock } from '../src/domain/types.js';
import { createTestDatabase } from '../tests/helpers/postgres.js';
import { TEST_REDIS_URL, testRedisPrefix } from '../tests/helpers/redis.js';

const { values: args } = parseArgs({ options: { articles: { type: 'string', default: '10000' }, runs: { type: 'string', default: '30' } } });
const N = Number(args.articles);
const RUNS = Number(args.runs);
const TOKEN = 'bench-desk-token';
const DAY = 86_400_000;

interface Text {
  title: string;
  text: string;
}
const texts: Text[] = ['data/holdout/public-texts.jsonl', 'data/training/public-texts.jsonl'].flatMap((file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Text),
);

// A small deterministic generator, so two runs store the same articles.
let seed = 42;
const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)] as T;

const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;
const fmt = (xs: number[]): string => `median ${quantile(xs, 0.5).toFixed(1)} ms, p95 ${quantile(xs, 0.95).toFixed(1)} ms`;

async function time(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

/** GET over loopback HTTP, counting the bytes on the wire (compressed as served). */
function get(url: string, headers: Record<string, string>): Promise<{ status: number; bytes: number; body: string; encoding: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, bytes: body.length, body: res.headers['content-encoding'] ? '' : body.toString('utf8'), encoding: res.headers['content-encoding'] });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const dbHandle = await createTestDatabase('bench_desk');
const keys = testRedisPrefix('bench-desk');
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
const db = await PgDb.connect(dbHandle.url, { max: 8 });
try {
  await migrate(db);
  const config = loadConfig({ env: { FRAMEWATCH_API_TOKEN: TOKEN, LOG_LEVEL: 'silent', FRAMEWATCH_QUEUE_PREFIX: keys.prefix } });
  const classifier = await loadClassifier(config.framework);
  const store = new ArticleStore(db);
  const feeds = Array.from({ length: 24 }, (_, i) => ({ id: `feed-${i}`, name: `Feed ${i}` }));
  const now = Date.now();

  console.log(`storing ${N} classified articles in a fresh database…`);
  const t0 = performance.now();
  let next = 0;
  let labelled = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < N; i = next++) {
      const base = pick(texts);
      const firstSeen = new Date(now - rand() * 90 * DAY).toISOString();
      const feed = pick(feeds);
      const text = `${base.text}\n\nBulletin ${i}.`;
      const classification = classifier.classify({ title: base.title, text });
      if (classification.labels.length > 0) labelled++;
      const lang = rand() < 0.8 ? 'en' : pick(['de', 'fr']);
      const work: ArticleWork = {
        id: `bench-${i}`,
        canonicalUrl: `https://news.example/${i}`,
        item: { guid: `g-${i}`, link: `https://news.example/${i}`, title: `${base.title} (${i})`, publishedAt: firstSeen, summary: base.text.slice(0, 200), contentHtml: null, author: null, categories: [], enclosures: [] },
        sightings: [{ feedId: feed.id, feedName: feed.name, link: `https://news.example/${i}`, guid: `g-${i}`, seenAt: firstSeen }],
        firstSeenAt: firstSeen,
        extracted: { text, html: null, title: null, byline: null, publishedAt: null, modifiedAt: null, lang, siteName: null, canonicalUrl: null, leadImage: null, wordCount: text.split(/\s+/).length, method: 'readability', confidence: 0.9, flags: [], fallbackReason: null },
        classification,
        trace: [],
      };
      await store.saveArticle(work);
      const first = classification.labels[0];
      if (first && rand() < 0.2) await store.recordReview({ articleId: work.id, verdicts: [{ label: first.id, verdict: rand() < 0.8 ? 'confirm' : 'reject' }], reviewer: 'bench' });
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  await db.query('ANALYZE');
  console.log(`  stored in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${labelled} with at least one label`);

  // The inbox's filtered pages, as the desk asks for them (50 rows, no text).
  const since = new Date(now - 30 * DAY).toISOString().slice(0, 10);
  const filters: { name: string; query: string; store: ArticleQuery }[] = [
    { name: 'inbox (tagged, newest first)', query: 'tagged=true', store: { tagged: true } },
    { name: 'label', query: 'tagged=true&label=targeted-sanctions', store: { tagged: true, labels: ['targeted-sanctions'] } },
    { name: 'label + unreviewed + min score', query: 'tagged=true&label=energy-security&review=unreviewed&minScore=0.5', store: { tagged: true, labels: ['energy-security'], review: ['unreviewed'], minScore: 0.5 } },
    { name: 'group + language + last 30 days', query: `tagged=true&group=policy-focuses&lang=de&since=${since}`, store: { tagged: true, groups: ['policy-focuses'], lang: ['de'], since: new Date(since) } },
    { name: 'feed + confirmed', query: 'tagged=true&feed=feed-3&review=confirmed', store: { tagged: true, feeds: ['feed-3'], review: ['confirmed'] } },
    { name: 'full text', query: 'tagged=true&q=sanctions', store: { tagged: true, q: 'sanctions' } },
    { name: 'best score first', query: 'tagged=true&label=military-collaboration&sort=score', store: { tagged: true, labels: ['military-collaboration'], sort: 'score' } },
  ];

  const queues = new QueueClient(redis, keys.prefix);
  const app = await buildApi({ config, logger: silentLogger, metrics: new Metrics({ processMetrics: false }), redis, db, queues, feeds: new FeedRegistry(config.files.feeds, config.feeds, silentLogger), health: new WorkerHealth(), clock: systemClock });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const { id: sessionId } = await new RedisSessionStore(redis, { prefix: keys.prefix, ttlMs: 600_000 }).create(tokenSubject(TOKEN));
  const browser = { cookie: `framewatch_session=${sessionId}`, 'accept-encoding': 'br, gzip' };

  console.log(`\ninbox pages of 50 with ${N} articles stored, ${RUNS} runs each (goal ≤ 300 ms):`);
  const all: number[] = [];
  for (const f of filters) {
    let rows = 0;
    const http = await time(RUNS, async () => {
      const res = await get(`${address}/api/articles?${f.query}&limit=50`, { cookie: browser.cookie });
      if (res.status !== 200) throw new Error(`${f.name}: HTTP ${res.status} ${res.body}`);
      rows = (JSON.parse(res.body) as { items: unknown[] }).items.length;
    });
    all.push(...http);
    const direct = await time(RUNS, () => store.listArticles({ ...f.store, limit: 50, includeContent: false }));
    console.log(`  ${f.name.padEnd(34)} ${String(rows).padStart(2)} rows  API ${fmt(http)}; store alone ${fmt(direct)}`);
  }
  console.log(`  all filters together: ${fmt(all)}`);
  const pageTimes = await time(RUNS, async () => {
    const res = await get(`${address}/`, { cookie: browser.cookie, accept: 'text/html' });
    if (res.status !== 200) throw new Error(`GET /: HTTP ${res.status}`);
  });
  console.log(`  the page itself (GET /): ${fmt(pageTimes)}`);

  // What a first visit downloads: the page, then the script and stylesheet it names.
  const shell = await get(`${address}/`, { cookie: browser.cookie, accept: 'text/html' });
  const assets = [...shell.body.matchAll(/(?:src|href)="(\/desk\/[^"]+)"/g)].map((m) => m[1] as string);
  console.log(`\nfirst load: the page (${shell.bytes} B) and ${assets.length} assets`);
  for (const encoding of ['br', 'gzip', 'identity']) {
    let total = 0;
    const parts: string[] = [];
    for (const asset of assets) {
      const res = await get(`${address}${asset}`, { 'accept-encoding': encoding });
      total += res.bytes;
      parts.push(`${asset.split('?')[0]} ${(res.bytes / 1024).toFixed(1)} KB${res.encoding ? ` (${res.encoding})` : ''}`);
    }
    console.log(`  ${encoding.padEnd(8)} JS+CSS ${(total / 1024).toFixed(1)} KB: ${parts.join(', ')}${encoding === 'identity' ? '' : ' (goal ≤ 200 KB)'}`);
  }
  console.log(`\n(load average ${os.loadavg()[0]?.toFixed(1)} on ${os.availableParallelism()} cores)`);
  await app.close();
  await queues.close();
} finally {
  await db.close();
  redis.disconnect();
  await keys.cleanup();
  await dbHandle.drop();
}
