/**
 * `npm run bench:extract`: the extraction stage's HTML function and the plain jsdom + Readability
 * baseline over the whole extraction benchmark, scored as the benchmark scores, side by side.
 *
 *   --limit N        evenly spread subset of N pages
 *   --engines a,b    stage engines to run (default linkedom,jsdom)
 *   --no-baseline    skip the baseline row
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

const rows: RunResult[] = [];
for (const spec of specs) {
  process.stderr.write(`running ${spec.kind} ${spec.kind === 'stage' ? spec.engine : ''}...\n`);
  rows.push(await runChild(spec));
}

const baseline = rows.find((r) => r.label.startsWith('baseline'));
const pad = (s: string, n: number): string => s.padStart(n);
const header = ['', 'P', 'R', 'F1', 'acc', 'failed', 'med ms', 'p90 ms', 'pages/s', 'vs base', 'peak RSS'];
const widths = [28, 7, 7, 7, 7, 7, 8, 8, 9, 8, 10];
const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[0] ?? 0) : pad(c, widths[i] ?? 8))).join('');
console.log(`extraction benchmark: ${rows[0]?.pages ?? 0} pages, ${threads} threads per row (all cores)`);
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

function runChild(spec: RunSpec): Promise<RunResult> {
  const child = fileURLToPath(new URL('./lib/extract-run.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', child, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    proc.on('error', reject);
    proc.on('close', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !last.startsWith('{')) reject(new Error(`bench row ${spec.kind} ${spec.engine} exited ${code}`));
      else resolve(JSON.parse(last) as RunResult);
    });
  });
}
