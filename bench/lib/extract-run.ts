/**
 * One row of `npm run bench:extract`, in its own process so peak RSS belongs to that row alone. The
 * parent drives every row through the same chunks of pages in turn (row A chunk 1, row B chunk 1, row A
 * chunk 2, ...), so rows share the machine's background load alike; on a 2-core machine shared with
 * other work, running rows one after another made their ratio swing by 2-4x.
 *
 * Protocol (JSON lines): stdout `{"ready":true}` after warm-up; stdin `{"chunk":[from,to],"pass":n}` →
 * stdout `{"done":from}`; stdin `{"finish":true}` → stdout the {@link RunResult}, then exit.
 */
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { DomEngine } from '../../src/extract/dom-engine.js';
import { createExtractionPool } from '../../src/extract/extraction-pool.js';
import { extractFromHtml } from '../../src/extract/extract-html.js';
import type { PostCleanRule } from '../../src/extract/post-clean.js';
import { scoreCorpus, scorePage } from '../../src/extract/score.js';
import type { BaselineResult, BaselineTask } from './extract-baseline-worker.js';
import { loadBenchmark, type BenchmarkPage } from './extract-data.js';

export interface RunSpec {
  kind: 'stage' | 'baseline';
  engine: DomEngine;
  limit?: number;
  threads: number;
  /** Extra sequential passes over the corpus on the main thread, for the memory figure (stage only). */
  repeats: number;
  without: PostCleanRule[];
}

export interface RunResult {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
  pages: number;
  failed: number;
  failures: string[];
  medianMs: number;
  p90Ms: number;
  /** Wall-clock throughput of the last timed pass (steady state: JIT-optimised, as a long-running worker). */
  pagesPerSecond: number;
  /** Process CPU time (all threads) per page in the last timed pass. */
  cpuMsPerPage: number;
  /** Throughput of each timed pass; the first is a cold start (only the short warm-up before it). */
  pagesPerSecondByPass: number[];
  threads: number;
  peakRssMb: number;
  /** RSS and heap after GC at the end of each repeated pass. */
  memory: { rssMb: number; heapMb: number }[];
}

interface PageOutput {
  text: string;
  failed: string | null;
  ms: number;
}

type Runner = (page: BenchmarkPage) => Promise<PageOutput>;

function createRunner(spec: RunSpec): { run: Runner; close: () => Promise<void> } {
  if (spec.kind === 'baseline') {
    const pool = new Piscina<BaselineTask, BaselineResult>({
      filename: fileURLToPath(new URL('./extract-baseline-worker.ts', import.meta.url)),
      minThreads: spec.threads,
      maxThreads: spec.threads,
    });
    return {
      run: async (p) => {
        const r = await pool.run({ html: p.html });
        return { text: r.text, failed: r.failed, ms: r.durationMs };
      },
      close: () => pool.destroy(),
    };
  }
  const pool = createExtractionPool({ threads: spec.threads, engine: spec.engine, timeoutMs: 120_000 });
  return {
    run: async (p) => {
      const r = await pool.run(p.html, { url: p.url, disabledRules: spec.without });
      return { text: r.text, failed: r.failure ? `${r.failure.reason}: ${r.failure.message}` : null, ms: r.durationMs };
    },
    close: () => pool.close(),
  };
}

/** The stage as a long-lived worker runs it: page after page on one thread, yielding between pages. */
async function repeatedPasses(pages: BenchmarkPage[], spec: RunSpec): Promise<RunResult['memory']> {
  const memory: RunResult['memory'] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let pass = 0; pass < spec.repeats; pass++) {
    for (const p of pages) {
      extractFromHtml(p.html, { url: p.url, engine: spec.engine, disabledRules: spec.without });
      await new Promise((resolve) => setImmediate(resolve));
    }
    gc?.();
    const m = process.memoryUsage();
    memory.push({ rssMb: m.rss / 2 ** 20, heapMb: m.heapUsed / 2 ** 20 });
  }
  return memory;
}

// Thread start-up and module loading are paid before any timing. V8 keeps optimising Readability's and
// the DOM's hot paths for well over a hundred pages, so the first timed pass is still a cold start
// (measured: linkedom 78 pages/s in a pool's first pass, ~150 from the second on); a long-running worker
// lives in the later passes' steady state, and both figures are reported.
const WARM_UP_PAGES_PER_THREAD = 10;

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

async function main(spec: RunSpec): Promise<void> {
  const pages = loadBenchmark(spec.limit);
  const runner = createRunner(spec);
  // tsx transpiles in every thread: a few pages load every module before the clock starts.
  await Promise.all(pages.slice(0, Math.min(pages.length, spec.threads * WARM_UP_PAGES_PER_THREAD)).map(runner.run));
  const outputs: PageOutput[] = new Array<PageOutput>(pages.length);
  const wallMs: number[] = [];
  const cpuMicros: number[] = [];
  const send = (msg: unknown): void => void process.stdout.write(`${JSON.stringify(msg)}\n`);
  send({ ready: true });

  for await (const line of createInterface({ input: process.stdin })) {
    const msg = JSON.parse(line) as { chunk?: [number, number]; pass?: number; finish?: boolean };
    if (msg.chunk) {
      const [from, to] = msg.chunk;
      const pass = msg.pass ?? 0;
      const chunk = pages.slice(from, to);
      const cpu = process.cpuUsage();
      const started = performance.now();
      const results = await Promise.all(chunk.map(runner.run));
      wallMs[pass] = (wallMs[pass] ?? 0) + performance.now() - started;
      const used = process.cpuUsage(cpu);
      cpuMicros[pass] = (cpuMicros[pass] ?? 0) + used.user + used.system;
      // Every pass extracts the same text; the last one's outputs are scored.
      results.forEach((r, i) => (outputs[from + i] = r));
      send({ done: from });
    } else if (msg.finish) {
      await runner.close();
      const memory = spec.kind === 'stage' ? await repeatedPasses(pages, spec) : [];
      const scores = pages.map((p, i) => scorePage(outputs[i]?.text ?? '', p.truth));
      const times = outputs.map((o) => o.ms).sort((a, b) => a - b);
      const failures = outputs.flatMap((o, i) => (o.failed ? [`${pages[i]?.id.slice(0, 12)}: ${o.failed}`] : []));
      const result: RunResult = {
        label: spec.kind === 'baseline' ? 'baseline jsdom+Readability' : `stage ${spec.engine}`,
        ...scoreCorpus(scores),
        failed: failures.length,
        failures,
        medianMs: quantile(times, 0.5),
        p90Ms: quantile(times, 0.9),
        pagesPerSecond: pages.length / ((wallMs.at(-1) ?? 0) / 1000),
        cpuMsPerPage: (cpuMicros.at(-1) ?? 0) / 1000 / pages.length,
        pagesPerSecondByPass: wallMs.map((ms) => pages.length / (ms / 1000)),
        threads: spec.threads,
        peakRssMb: process.resourceUsage().maxRSS / 1024,
        memory,
      };
      send(result);
      process.exit(0);
    }
  }
}

const spec = JSON.parse(process.argv[2] ?? '{}') as RunSpec;
spec.threads ||= availableParallelism();
await main(spec);
