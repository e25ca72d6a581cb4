import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { tickFor } from '../../src/service/feed-scheduler.js';
import { createTestDatabase } from '../../tests/helpers/postgres.js';
import { TEST_REDIS_URL, testRedisPrefix } from '../../tests/helpers/redis.js';
import { freePort, REPO_ROOT, spawnFramewatch, type ServiceProcess } from '../../tests/helpers/service-process.js';
import { startFeedServer, type FeedHit, type FeedServer } from './poll-feed-server.js';
import { mib, readProcStats, type ProcStats } from './proc-stats.js';

export interface ServiceBenchOptions {
  feeds: number;
  hosts: number;
  /** Share of feeds that publish one new item per warm cycle (rotating, so each cycle a different set). */
  changed: number;
  /** Warm cycles to measure after the import cycle. */
  warmCycles: number;
  /** Service processes polling: 1 = `start --stages poll`; each extra one is a `worker --stages poll`. */
  workers: number;
  intervalMs: number;
  floorMs: number;
  concurrency: number;
  perHostConcurrency: number;
  perHostGapMs: number;
  unconditionalEvery: number;
  timeoutMs: number;
  logLevel: string;
}

interface Sample {
  at: number;
  stats: (ProcStats | null)[];
}

/**
 * The service mode (default): real `framewatch` processes (scheduler, API and poll worker; optionally more
 * poll workers) with their own config folder, Redis prefix and database poll N loopback feeds on their own
 * schedule, and everything is measured from the outside: the loopback server logs every feed request, and
 * /proc gives the processes' memory and CPU. A cycle is a sweep (see {@link sweeps}): its time runs from
 * the first to the last of the N requests that poll every feed once more.
 */
export async function runServiceBench(options: ServiceBenchOptions): Promise<void> {
  const period = options.changed > 0 ? Math.max(1, Math.round(1 / options.changed)) : 0;
  const server = await startFeedServer({
    feeds: options.feeds,
    hosts: options.hosts,
    // From its second poll on, a feed publishes a new item on every period-th poll, staggered across feeds.
    changeBefore: (i, n) => period > 0 && n >= 2 && (i + n) % period === 0,
  });
  const redis = testRedisPrefix('bench-poll');
  const database = await createTestDatabase('bench_poll');
  const configDir = mkdtempSync(join(tmpdir(), 'fw-bench-poll-'));
  const processes: ServiceProcess[] = [];
  let interrupted = false;
  const onSigint = () => void (interrupted = true);
  process.on('SIGINT', onSigint);

  try {
    writeConfig(configDir, server, options);
    const apiPort = await freePort();
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      DATABASE_URL: database.url,
      FRAMEWATCH_QUEUE_PREFIX: redis.prefix,
      FRAMEWATCH_CONFIG: configDir,
      FRAMEWATCH_API_TOKEN: 'bench-token',
      FRAMEWATCH_ALLOW_PRIVATE_NETWORKS: 'true',
      PORT: String(apiPort),
      HOST: '127.0.0.1',
      LOG_LEVEL: options.logLevel,
    };
    const tick = tickFor({ id: 'x', url: 'http://x/', name: 'x', intervalMs: options.intervalMs, tags: [], request: {} }, options.floorMs);
    const feedsPerHost = Math.ceil(options.feeds / options.hosts);
    const politeBoundS = ((feedsPerHost - 1) * options.perHostGapMs) / 1000;
    console.log(
      `bench:poll — the real service: \`framewatch start --stages poll\`${options.workers > 1 ? ` + ${options.workers - 1} × \`framewatch worker --stages poll\`` : ''}, ${options.feeds} feeds over ${options.hosts} loopback hosts, ${Math.round(options.changed * 100)}% of feeds changed per warm cycle`,
    );
    console.log(
      `settings: feed interval ${options.intervalMs} ms; poll.floor ${options.floorMs} ms → scheduler tick max(floor, interval/2) = ${tick} ms; poll.ceiling ${Math.max(options.intervalMs, options.floorMs)} ms; ` +
        `poll.concurrency ${options.concurrency} per process; per host ${options.perHostConcurrency} in flight, ${options.perHostGapMs} ms apart; unconditional GET every ${options.unconditionalEvery} polls; log level ${options.logLevel}`,
    );
    console.log(`politeness bound: ${feedsPerHost} feeds per host × ${options.perHostGapMs} ms gap → a cycle cannot be shorter than ~${politeBoundS.toFixed(1)} s`);

    const spawnedAt = performance.now();
    const main = spawnFramewatch(['start', '--stages', 'poll'], env);
    processes.push(main);
    for (let w = 1; w < options.workers; w++) processes.push(spawnFramewatch(['worker', '--stages', 'poll'], env));
    await waitReady(`http://127.0.0.1:${apiPort}/readyz`, processes, () => interrupted);
    const readyAt = performance.now();

    const samples: Sample[] = [];
    const target = 1 + options.warmCycles;
    const deadline = performance.now() + options.timeoutMs;
    let cycles = sweeps(server.hits, target);
    for (;;) {
      samples.push({ at: performance.now(), stats: processes.map((p) => (p.child.pid ? readProcStats(p.child.pid) : null)) });
      cycles = sweeps(server.hits, target);
      if (cycles.length === target && cycles.every((c) => c.complete)) break;
      assertRunning(processes);
      if (interrupted) throw new Error('interrupted');
      if (performance.now() > deadline) {
        console.log(`timed out after ${options.timeoutMs / 1000} s before ${target} complete cycles; partial figures follow`);
        break;
      }
      await sleep(250);
    }
    const firstHit = Math.min(...server.hits.map((h) => h[0]?.at ?? Infinity));
    console.log(`service ready (API up, ${options.feeds} job schedulers upserted) ${((readyAt - spawnedAt) / 1000).toFixed(1)} s after spawn; first feed request ${((firstHit - spawnedAt) / 1000).toFixed(1)} s after spawn`);
    cycles.forEach((c, k) => report(k + 1, c, server, samples, options));
    const importEnd = cycles[0]?.last ?? Infinity;
    const gaps = server.hits.flatMap((h) => h.slice(1).map((x, j) => ({ gap: x.at - (h[j]?.at ?? 0), at: x.at }))).filter((g) => g.at > importEnd).map((g) => g.gap).sort((a, b) => a - b);
    if (gaps.length > 0) {
      const q = (f: number) => ((gaps[Math.min(gaps.length - 1, Math.floor(f * gaps.length))] ?? 0) / 1000).toFixed(1);
      console.log(`after the import, time between two polls of one feed: median ${q(0.5)} s, p90 ${q(0.9)} s, max ${q(1)} s (${gaps.length} gaps)`);
    }
    const last = samples.at(-1);
    const peaks = processes.map((p, k) => `${k === 0 ? 'start' : `worker ${k}`} ${mib(last?.stats[k]?.peakRss ?? 0)}`);
    const peakSum = Math.max(...samples.map((s) => sum(s.stats.map((x) => x?.rss ?? 0))));
    console.log(`peak RSS (kernel VmHWM per process): ${peaks.join(', ')}; highest sampled sum ${mib(peakSum)}`);
    const totalRequests = server.requests();
    const lastHit = Math.max(...server.hits.flatMap((h) => h.map((x) => x.at)));
    console.log(`overall: ${totalRequests} feed requests from first to last in ${((lastHit - firstHit) / 1000).toFixed(1)} s (${(totalRequests / ((lastHit - firstHit) / 1000)).toFixed(0)} requests/s sustained)`);
  } finally {
    process.off('SIGINT', onSigint);
    await Promise.all(processes.map((p) => p.stop(15_000)));
    await server.close();
    await database.drop();
    await redis.cleanup();
    rmSync(configDir, { recursive: true, force: true });
  }
}

function writeConfig(dir: string, server: FeedServer, options: ServiceBenchOptions): void {
  copyFileSync(join(REPO_ROOT, 'config', 'framework.yaml'), join(dir, 'framework.yaml'));
  const feeds = Array.from({ length: options.feeds }, (_, i) => `  - id: bench-${i}\n    url: ${server.url(i)}\n    interval: ${options.intervalMs}ms`);
  writeFileSync(join(dir, 'feeds.yaml'), `feeds:\n${feeds.join('\n')}\n`);
  writeFileSync(
    join(dir, 'settings.yaml'),
    [
      'poll:',
      `  floor: ${options.floorMs}ms`,
      // The adaptive schedule would stretch quiet feeds (most of them here) far past the interval; capped at
      // the interval, every feed stays due and a cycle measures the service's capacity, not the schedule.
      `  ceiling: ${Math.max(options.intervalMs, options.floorMs)}ms`,
      `  concurrency: ${options.concurrency}`,
      `  perHostConcurrency: ${options.perHostConcurrency}`,
      `  perHostGap: ${options.perHostGapMs}ms`,
      `  unconditionalEvery: ${options.unconditionalEvery}`,
      '',
    ].join('\n'),
  );
}

async function waitReady(url: string, processes: ServiceProcess[], interrupted: () => boolean): Promise<void> {
  const deadline = performance.now() + 180_000;
  while (performance.now() < deadline) {
    assertRunning(processes);
    if (interrupted()) throw new Error('interrupted');
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new Error(`the service was not ready within 180 s:\n${processes[0]?.logs.slice(-20).join('\n')}`);
}

function assertRunning(processes: ServiceProcess[]): void {
  for (const p of processes) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) {
      throw new Error(`a framewatch process exited (${p.child.exitCode ?? p.child.signalCode}):\n${p.logs.slice(-20).join('\n')}`);
    }
  }
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

interface Sweep {
  /** Each feed's first request in this cycle (in feed order; missing when the feed has none yet). */
  requests: (FeedHit | undefined)[];
  first: number;
  last: number;
  complete: boolean;
}

/**
 * Cycles as sweeps: cycle 1 is every feed's first request; cycle k+1 is every feed's first request after
 * cycle k ended. A saturated service polls some feeds twice while others wait, so "each feed's n-th
 * request" would drift apart cycle after cycle; a sweep is what a user means by one full cycle — the time
 * until every feed has been polled once more.
 */
function sweeps(hits: FeedHit[][], count: number): Sweep[] {
  const result: Sweep[] = [];
  let boundary = -Infinity;
  for (let k = 0; k < count; k++) {
    const requests = hits.map((h) => h.find((x) => x.at > boundary));
    const present = requests.filter((x) => x !== undefined);
    if (present.length === 0) break;
    const first = Math.min(...present.map((x) => x.at));
    const last = Math.max(...present.map((x) => x.at));
    const complete = present.length === hits.length;
    result.push({ requests, first, last, complete });
    if (!complete) break;
    boundary = last;
  }
  return result;
}

/** One cycle's figures: its sweep, every request the server saw meanwhile, the processes' CPU and memory. */
function report(n: number, cycle: Sweep, server: FeedServer, samples: Sample[], options: ServiceBenchOptions): void {
  const { first, last } = cycle;
  const polled = cycle.requests.filter((x) => x !== undefined).length;
  const seconds = Math.max(0.001, (last - first) / 1000);
  // Every request inside the window, including feeds polled a second time while others waited.
  const inWindow = server.hits.flat().filter((x) => x.at >= first && x.at <= last);
  const notModified = inWindow.filter((x) => x.status === 304).length;
  const window = samples.filter((s) => s.at >= first && s.at <= last + 250);
  const before = samples.filter((s) => s.at <= first).at(-1) ?? samples[0];
  const after = samples.find((s) => s.at >= last) ?? samples.at(-1);
  const cpu = (s: Sample | undefined) => sum(s?.stats.map((x) => x?.cpuSeconds ?? 0) ?? []);
  const cores = (cpu(after) - cpu(before)) / Math.max(0.001, ((after?.at ?? 0) - (before?.at ?? 0)) / 1000);
  const rss = Math.max(0, ...window.map((s) => sum(s.stats.map((x) => x?.rss ?? 0))));
  const label = n === 1 ? "cycle 1 (import: each feed's first poll, 20-item backlog)" : `cycle ${n} (warm)`;
  const incomplete = cycle.complete ? '' : ` — INCOMPLETE: ${polled}/${options.feeds} feeds`;
  console.log(
    `${label}: ${polled} feeds in ${seconds.toFixed(2)} s — ${(inWindow.length / seconds).toFixed(0)} requests/s (${inWindow.length} requests in the window), ` +
      `${((notModified / Math.max(1, inWindow.length)) * 100).toFixed(1)}% 304; service CPU ${cores.toFixed(2)} cores; peak sampled RSS ${mib(rss)}${incomplete}`,
  );
}
