/**
 * npm run bench:pipeline [-- --articles 2000 --feeds 40 --rounds 2 --profile]
 *
 * N articles (real benchmark pages served from loopback under distinct URLs) through the real service, against
 * the bare stage functions run in a loop in this same process. Rounds alternate (bare, one `framewatch start`
 * process, `start` plus one `worker` process; then again), so one noisy moment on a shared machine moves one
 * figure, not the comparison: each service run is compared with the bare runs of its own round, and the spread
 * (min–max) of every figure is printed. For each service run: articles per second, the same over the second half
 * of the run (past the warm-up both pay; see `secondHalfRate`), publish→stored and
 * publish→webhook latency (p50/p95), RSS at start, middle and end, CPU seconds per article of the framewatch
 * processes and of Redis (from /proc), and Redis commands per article (`INFO commandstats` deltas).
 *
 * `--profile`: one bare run and one `start` run (`--processes 2`: `start` + `worker`) under `node --cpu-prof`,
 * then the functions with the most self time on each main thread and on the extraction threads.
 *
 * Needs PostgreSQL on 127.0.0.1:5432 (as the tests do) and `redis-server` on the PATH: the bench starts a
 * Redis of its own on a free port, so its command counts are framewatch's alone. It uses its own databases
 * and removes them afterwards.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
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
import { printProfiles, readProfiles } from './lib/cpu-profile.js';
import { loadBenchmark } from './lib/extract-data.js';
import { callDelta, startPrivateRedis, type PrivateRedis } from './lib/private-redis.js';
import { readProcStats } from './lib/proc-stats.js';
import { startFixtureServer, type FixtureServer } from '../tests/helpers/fixture-server.js';
import { createTestDatabase } from '../tests/helpers/postgres.js';
import { freePort, REPO_ROOT, spawnFramewatch, type ServiceProcess } from '../tests/helpers/service-process.js';

const { values: args } = parseArgs({
  options: {
    articles: { type: 'string', default: '2000' },
    feeds: { type: 'string', default: '40' },
    rounds: { type: 'string', default: '2' },
    profile: { type: 'boolean', default: false },
    /** With --profile: 2 profiles `start` + `worker` (each process's main thread on its own). */
    processes: { type: 'string', default: '1' },
    top: { type: 'string', default: '25' },
  },
});
const N = Number(args.articles);
const FEEDS = Number(args.feeds);
const ROUNDS = Number(args.rounds);
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const pages = loadBenchmark();

interface RunResult {
  label: string;
  seconds: number;
  perSecond: number;
  /** Articles per second over the second half of the run (from the N/2-th article stored to the last): past warm-up. */
  secondHalf: number;
  stored: number[];
  hooked: number[];
  rss: { start: number; middle: number; end: number };
  /** CPU seconds per article from publish to the last article stored: framewatch processes, Redis. */
  cpuPerArticle: { framewatch: number; redis: number };
  /** Redis commands per article from publish until deliveries settled, largest first. */
  commands: [string, number][];
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/**
 * Articles per second from the (N/2)-th completion to the last. The first articles pay for cold JIT in every
 * thread, cold caches and connection set-up, and both the bare loop and the service pay them; the second half
 * is what each sustains, so its ratio is the queue's cost without the warm-up shared by both.
 */
function secondHalfRate(doneAtMs: number[]): number {
  const sorted = [...doneAtMs].sort((a, b) => a - b);
  const half = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const last = sorted.at(-1) ?? 0;
  return last > half ? (sorted.length - Math.floor(sorted.length / 2) - 1) / ((last - half) / 1000) : NaN;
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

const cpuOf = (pids: number[]) => pids.reduce((sum, pid) => sum + (readProcStats(pid)?.cpuSeconds ?? 0), 0);

function itemTitle(i: number): string {
  return `Benchmark article ${i}`;
}

/** Serves FEEDS feeds listing N articles (empty until `publish()`), and the article pages. */
function serveSite(site: FixtureServer): { publish: () => number } {
  let publishedAt = 0;
  const perFeed = Math.ceil(N / FEEDS);
  for (let f = 0; f < FEEDS; f++) {
    site.route(`/f/${f}.rss`, (req, res) => {
      // Validators, as most publishers send: a feed that has not changed since the service's last poll
      // answers 304, so polling it every second costs what it costs in production, not a full re-read.
      const etag = `"bench-${publishedAt}"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
      const items = publishedAt === 0 ? [] : Array.from({ length: perFeed }, (_, k) => f * perFeed + k).filter((i) => i < N);
      const xml = items
        .map((i) => `<item><title>${itemTitle(i)}</title><link>${site.origin}/a/${i}</link><guid isPermaLink="false">bench-${i}</guid><pubDate>${new Date(publishedAt).toUTCString()}</pubDate><description>Article ${i}</description></item>`)
        .join('');
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Bench ${f}</title><link>${site.origin}/</link><description>b</description>${xml}</channel></rss>`);
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

async function runService(label: string, extraWorkers: number, redis: PrivateRedis, profileDir?: string): Promise<RunResult> {
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
  // Every page and feed is on one loopback host: politeness is set out of the way (the bare loop has none):
  // no gap between starts, and room for what the stages of two processes can have in flight.
  writeFileSync(join(configDir, 'settings.yaml'), ['poll:', '  floor: 1s', '  perHostConcurrency: 64', '  perHostGap: 0s'].join('\n'));
  const port = await freePort();
  const env: Record<string, string> = {
    REDIS_URL: redis.url,
    DATABASE_URL: db.url,
    FRAMEWATCH_QUEUE_PREFIX: prefix,
    FRAMEWATCH_CONFIG: configDir,
    FRAMEWATCH_ALLOW_PRIVATE_NETWORKS: 'true',
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const processes: ServiceProcess[] = [spawnFramewatch(['start'], env, nodeArgs)];
  for (let w = 0; w < extraWorkers; w++) processes.push(spawnFramewatch(['worker'], env, nodeArgs));
  const client = new pg.Client({ connectionString: db.url });
  try {
    for (let i = 0; ; i++) {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.ok) break;
      if (i > 600) throw new Error(`service did not become ready: ${processes[0]?.logs.slice(-5).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await client.connect();
    const pids = processes.map((p) => p.child.pid ?? 0);
    // /readyz is the `start` process's; a `worker` (and every process's extraction threads) may still be
    // loading its modules. Start-up is paid once, not per article: publish once all of them are idle.
    for (let settled = 0, i = 0; settled < 2 && i < 120; i++) {
      const before = cpuOf(pids);
      await new Promise((r) => setTimeout(r, 500));
      settled = cpuOf(pids) - before < 0.1 * pids.length * 0.5 ? settled + 1 : 0;
    }
    const rss = { start: rssOf(pids), middle: 0, end: 0 };
    const callsBefore = await redis.commandCalls();
    const cpuBefore = { framewatch: cpuOf(pids), redis: cpuOf([redis.pid]) };
    const t0 = publish();
    let count = 0;
    while (count < N) {
      await new Promise((r) => setTimeout(r, 250));
      count = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM articles WHERE model_version IS NOT NULL')).rows[0]?.n ?? 0);
      if (rss.middle === 0 && count >= N / 2) rss.middle = rssOf(pids);
      if (Date.now() - t0 > 15 * 60_000) throw new Error(`only ${count}/${N} stored after 15 minutes`);
    }
    const seconds = (Date.now() - t0) / 1000;
    const cpuPerArticle = { framewatch: (cpuOf(pids) - cpuBefore.framewatch) / N, redis: (cpuOf([redis.pid]) - cpuBefore.redis) / N };
    rss.end = rssOf(pids);
    const rows = (await client.query<{ id: string; created_at: Date }>('SELECT id, created_at FROM articles')).rows;
    const stored = rows.map((r) => r.created_at.getTime() - t0);
    // Give deliveries of the last articles a moment to arrive.
    await new Promise((r) => setTimeout(r, 3_000));
    const commands = callDelta(callsBefore, await redis.commandCalls()).map(([cmd, n]): [string, number] => [cmd, n / N]);
    const hooked = [...hookTimes.values()].map((t) => t - t0);
    return { label, seconds, perSecond: N / seconds, secondHalf: secondHalfRate(stored), stored, hooked, rss, cpuPerArticle, commands };
  } finally {
    await client.end().catch(() => undefined);
    await Promise.all(processes.map((p) => p.stop(30_000)));
    await site.close();
    await receiver.close();
    await db.drop();
    rmSync(configDir, { recursive: true, force: true });
  }
}

/** The same stage functions in a loop in this process: extraction on the same thread pool, then classify and store. */
async function runBare(): Promise<{ seconds: number; perSecond: number; secondHalf: number; cpuPerArticle: number }> {
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
  const cpuStarted = process.cpuUsage();
  const doneAt: number[] = [];
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
      doneAt.push(Date.now() - started);
    }
  };
  // As many in flight as the service's default extract concurrency.
  await Promise.all(Array.from({ length: config.settings.extract.concurrency }, worker));
  const seconds = (Date.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  await pool.close();
  await fetcher.close();
  await store.close();
  await site.close();
  await db.drop();
  // This process's CPU, its extraction threads' included (and the loopback site's, which the service runs' figures leave out).
  return { seconds, perSecond: N / seconds, secondHalf: secondHalfRate(doneAt), cpuPerArticle: (cpu.user + cpu.system) / 1e6 / N };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const ms = (v: number) => (Number.isNaN(v) ? 'n/a' : `${(v / 1000).toFixed(1)} s`);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const spread = (xs: number[], digits = 1) => (xs.length > 1 ? `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}` : (xs[0]?.toFixed(digits) ?? 'n/a'));
const median = (xs: number[]) => percentile(xs, 50);

console.log(`bench:pipeline — ${N} articles in ${FEEDS} feeds (real benchmark pages, loopback), ${pages.length} distinct pages; load average at start ${load()}`);
const redis = await startPrivateRedis(await freePort());
try {
  if (args.profile) {
    const dir = mkdtempSync(join(tmpdir(), 'fw-bench-prof-'));
    const bare = await runBare();
    console.log(`bare stage functions in a loop: ${bare.perSecond.toFixed(1)} articles/s (${bare.seconds.toFixed(1)} s), CPU ${bare.cpuPerArticle.toFixed(3)} s/article`);
    const extra = Number(args.processes) - 1;
    const run = await runService(`${extra > 0 ? `${extra + 1} processes (start + worker)` : '1 process (start)'} under --cpu-prof`, extra, redis, dir);
    console.log(`${run.label}: ${run.perSecond.toFixed(1)} articles/s, ratio ${(run.perSecond / bare.perSecond).toFixed(2)}; CPU ${run.cpuPerArticle.framewatch.toFixed(3)} s/article (Redis ${run.cpuPerArticle.redis.toFixed(4)}); load average ${load()}`);
    console.log(`Redis commands per article: ${run.commands.slice(0, 15).map(([c, n]) => `${c} ${n.toFixed(1)}`).join(', ')}`);
    printProfiles(readProfiles(dir, Number(args.top)));
    console.log(`\nprofiles kept in ${dir}`);
  } else {
    const rounds: { bare: number; bareHalf: number; bareCpu: number; runs: RunResult[]; load: string }[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const bare = await runBare();
      console.log(`round ${r + 1}: bare ${bare.perSecond.toFixed(1)} articles/s, CPU ${bare.cpuPerArticle.toFixed(3)} s/article (load ${load()})`);
      const one = await runService('1 process (start)', 0, redis);
      console.log(`round ${r + 1}: ${one.label} ${one.perSecond.toFixed(1)} articles/s, ratio ${(one.perSecond / bare.perSecond).toFixed(2)} (load ${load()})`);
      const two = await runService('2 processes (start + worker)', 1, redis);
      console.log(`round ${r + 1}: ${two.label} ${two.perSecond.toFixed(1)} articles/s, ratio ${(two.perSecond / bare.perSecond).toFixed(2)} (load ${load()})`);
      rounds.push({ bare: bare.perSecond, bareHalf: bare.secondHalf, bareCpu: bare.cpuPerArticle, runs: [one, two], load: load() });
    }
    console.log('');
    console.log('| round | run | articles/s | ratio to the round\'s bare | second half: articles/s (ratio) | publish→stored p50 / p95 (p95 goal) | publish→webhook p50 / p95 (n) | RSS start / middle / end (end/middle) | CPU s/article framewatch / Redis | load average after |');
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    rounds.forEach((round, r) => {
      console.log(`| ${r + 1} | bare stage functions | ${round.bare.toFixed(1)} | 1 | ${round.bareHalf.toFixed(1)} (1) | | | | ${round.bareCpu.toFixed(3)} (with the loopback site) | |`);
      for (const run of round.runs) {
        const goal = (1.2 * N) / round.bare;
        console.log(
          `| ${r + 1} | ${run.label} | ${run.perSecond.toFixed(1)} | ${(run.perSecond / round.bare).toFixed(2)} | ${run.secondHalf.toFixed(1)} (${(run.secondHalf / round.bareHalf).toFixed(2)}) | ${ms(percentile(run.stored, 50))} / ${ms(percentile(run.stored, 95))} (≤ ${goal.toFixed(1)} s) | ${ms(percentile(run.hooked, 50))} / ${ms(percentile(run.hooked, 95))} (${run.hooked.length}) | ${mb(run.rss.start)} / ${mb(run.rss.middle)} / ${mb(run.rss.end)} (${(run.rss.end / run.rss.middle).toFixed(2)}) | ${run.cpuPerArticle.framewatch.toFixed(3)} / ${run.cpuPerArticle.redis.toFixed(4)} | ${round.load} |`,
        );
      }
    });
    console.log('');
    console.log('spread over the rounds (min–max):');
    console.log(`- bare: ${spread(rounds.map((r) => r.bare))} articles/s (second half ${spread(rounds.map((r) => r.bareHalf))})`);
    for (const [k, label] of ['1 process (start)', '2 processes (start + worker)'].entries()) {
      const runs = rounds.map((r) => r.runs[k] as RunResult);
      const ratios = rounds.map((r) => (r.runs[k]?.perSecond ?? 0) / r.bare);
      const halfRatios = rounds.map((r) => (r.runs[k]?.secondHalf ?? 0) / r.bareHalf);
      const p95 = runs.map((x) => percentile(x.stored, 95) / 1000);
      const goals = rounds.map((r) => (1.2 * N) / r.bare);
      console.log(
        `- ${label}: ${spread(runs.map((x) => x.perSecond))} articles/s; ratio ${spread(ratios, 2)} (median ${median(ratios).toFixed(2)}); second-half ratio ${spread(halfRatios, 2)} (median ${median(halfRatios).toFixed(2)}); stored p95 ${spread(p95)} s (goals ${spread(goals)} s); CPU ${spread(runs.map((x) => x.cpuPerArticle.framewatch), 3)} s/article`,
      );
      const last = runs.at(-1);
      if (last) console.log(`  Redis commands per article (last round): ${last.commands.slice(0, 15).map(([c, n]) => `${c} ${n.toFixed(1)}`).join(', ')}; total ${last.commands.reduce((s, [, n]) => s + n, 0).toFixed(1)}`);
    }
  }
} finally {
  await redis.stop();
}
process.exit(0);
