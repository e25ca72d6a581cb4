/**
 * `npm run bench:extract`: the extraction stage's HTML function and the plain jsdom + Readability
 * baseline over the whole extraction benchmark, scored as the benchmark scores, side by side.
 *
 *   --limit N        evenly spread subset of N pages
 *   --engines a,b    stage engines to run (default linkedom,jsdom)
 *   --no-baseline    skip the baseline row
 *   --passes N       timed passes over the pages (default 2): pages/s is the last (steady state),
 *                    "1st pass" the first (cold JIT); every row gets the same passes
 *   --repeats N      sequential passes for the memory figure (default 3)
 *   --without r,s    post-cleaning rules to switch off (ablation)
 *   --failures       list the pages each row failed on
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BENCHMARK_DIR, benchmarkAvailable } from './lib/extract-data.js';
import type { RunResult, RunSpec } from './lib/extract-run.js';

const { values } = parseArgs({
  options: {
    limit: { type: 'string' },
    engines: { type: 'string', default: 'linkedom,jsdom' },
    'no-baseline': { type: 'boolean', default: false },
    passes: { type: 'string', default: '2' },
    repeats: { type: 'string', default: '3' },
    without: { type: 'string', default: '' },
    failures: { type: 'boolean', default: false },
  },
});

if (!benchmarkAvailable()) {
  process.stderr.write(`benchmark data not found at ${BENCHMARK_DIR}\n`);
  process.exit(1);
}

const threads = availableParallelism();
const base = {
  ...(values.limit ? { limit: Number(values.limit) } : {}),
  threads,
  repeats: Number(values.repeats),
  without: values.without.split(',').filter(Boolean),
} as Omit<RunSpec, 'kind' | 'engine'>;
const specs: RunSpec[] = [
  ...values.engines.split(',').filter(Boolean).map((engine) => ({ ...base, kind: 'stage' as const, engine: engine as RunSpec['engine'] })),
  ...(values['no-baseline'] ? [] : [{ ...base, kind: 'baseline' as const, engine: 'jsdom' as const, repeats: 0 }]),
];

const passes = Math.max(1, Number(values.passes));
const rows = await runInterleaved(specs, values.limit ? Number(values.limit) : 181, passes);

const baseline = rows.find((r) => r.label.startsWith('baseline'));
const pad = (s: string, n: number): string => s.padStart(n);
const header = ['', 'P', 'R', 'F1', 'acc', 'failed', 'med ms', 'p90 ms', 'pages/s', 'vs base', 'cpu ms/pg', 'vs base', '1st pass', 'vs base', 'peak RSS'];
const widths = [28, 7, 7, 7, 7, 7, 8, 8, 9, 8, 10, 8, 10, 8, 10];
const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[0] ?? 0) : pad(c, widths[i] ?? 8))).join('');
console.log(
  `extraction benchmark: ${rows[0]?.pages ?? 0} pages, ${threads} threads per row (all cores), ${passes} timed pass${passes > 1 ? 'es' : ''}; ` +
    `pages/s and cpu ms/pg (process CPU time per page) are the last pass, "1st pass" is pages/s of the first (cold JIT)`,
);
const firstPass = (r: RunResult): number => r.pagesPerSecondByPass[0] ?? 0;
console.log(line(header));
for (const r of rows) {
  console.log(
    line([
      r.label,
      r.precision.toFixed(3),
      r.recall.toFixed(3),
      r.f1.toFixed(3),
      r.accuracy.toFixed(3),
      String(r.failed),
      r.medianMs.toFixed(1),
      r.p90Ms.toFixed(1),
      r.pagesPerSecond.toFixed(1),
      baseline ? `${(r.pagesPerSecond / baseline.pagesPerSecond).toFixed(1)}x` : '-',
      r.cpuMsPerPage.toFixed(1),
      baseline ? `${(baseline.cpuMsPerPage / r.cpuMsPerPage).toFixed(1)}x` : '-',
      firstPass(r).toFixed(1),
      baseline ? `${(firstPass(r) / firstPass(baseline)).toFixed(1)}x` : '-',
      `${r.peakRssMb.toFixed(0)} MB`,
    ]),
  );
}
for (const r of rows) {
  if (r.memory.length > 0) {
    console.log(`memory, ${r.label}, after each of ${r.memory.length} sequential passes (GC'd): ${r.memory.map((m) => `rss ${m.rssMb.toFixed(0)} MB / heap ${m.heapMb.toFixed(0)} MB`).join(' -> ')}`);
  }
  if (values.failures || r.failed > 0) for (const f of r.failures) console.log(`  failed (${r.label}) ${f}`);
}

/** A row's child process, driven over JSON lines (see lib/extract-run.ts). */
interface RowProcess {
  request(msg: unknown): Promise<Record<string, unknown>>;
}

function startRow(spec: RunSpec): { ready: Promise<void>; row: RowProcess } {
  const child = fileURLToPath(new URL('./lib/extract-run.ts', import.meta.url));
  const proc = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', child, JSON.stringify(spec)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const pending: { resolve: (msg: Record<string, unknown>) => void; reject: (err: Error) => void }[] = [];
  let exited: Error | null = null;
  let buffered = '';
  proc.stdout.on('data', (c: Buffer) => {
    buffered += c.toString('utf8');
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line.startsWith('{')) pending.shift()?.resolve(JSON.parse(line) as Record<string, unknown>);
    }
  });
  proc.on('exit', (code) => {
    exited = new Error(`bench row ${spec.kind} ${spec.engine} exited ${code}`);
    for (const p of pending.splice(0)) p.reject(exited);
  });
  const next = (): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      if (exited) reject(exited);
      else pending.push({ resolve, reject });
    });
  const ready = next().then(() => undefined);
  return {
    ready,
    row: {
      request: (msg) => {
        const reply = next();
        proc.stdin.write(`${JSON.stringify(msg)}\n`);
        return reply;
      },
    },
  };
}

/** Every row through the same chunks in turn, so background load falls on all rows alike. */
async function runInterleaved(all: RunSpec[], pages: number, passes: number): Promise<RunResult[]> {
  const started = all.map((spec) => ({ spec, ...startRow(spec) }));
  await Promise.all(started.map((s) => s.ready));
  const CHUNK = 12;
  for (let pass = 0; pass < passes; pass++) {
    for (let from = 0; from < pages; from += CHUNK) {
      for (const s of started) await s.row.request({ chunk: [from, Math.min(pages, from + CHUNK)], pass });
      process.stderr.write(`  pass ${pass + 1}/${passes}: ${Math.min(pages, from + CHUNK)}/${pages} pages\r`);
    }
  }
  process.stderr.write('\n');
  const results: RunResult[] = [];
  for (const s of started) {
    process.stderr.write(`scoring ${s.spec.kind} ${s.spec.kind === 'stage' ? s.spec.engine : ''}${s.spec.repeats ? ` and ${s.spec.repeats} memory passes` : ''}...\n`);
    results.push((await s.row.request({ finish: true })) as unknown as RunResult);
  }
  return results;
}
