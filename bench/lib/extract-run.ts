/**
 * One row of `npm run bench:extract`, run in its own process so peak RSS belongs to that row alone.
 * Prints one JSON line: scores, failures, per-page times, throughput on all cores, memory.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { createExtractionPool } from '../../src/extract/extraction-pool.js';
import { extractFromHtml } from '../../src/extract/extract-html.js';
import type { DomEngine } from '../../src/extract/dom-engine.js';
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
  pagesPerSecond: number;
  threads: number;
  peakRssMb: number;
  /** RSS and heap after GC at the end of each repeated pass. */
  memory: { rssMb: number; heapMb: number }[];
}

async function run(spec: RunSpec): Promise<RunResult> {
  const pages = loadBenchmark(spec.limit);
  const outputs: { text: string; failed: string | null; ms: number }[] = [];
  // Throughput is the steady state of a long-running worker: thread start-up, module loading (tsx
  // transpiles in every thread) and the first JIT pass are paid before the clock starts, for both rows.
  const warmUp = pages.slice(0, spec.threads * 2);
  let started: number;
  if (spec.kind === 'baseline') {
    const pool = new Piscina<BaselineTask, BaselineResult>({
      filename: fileURLToPath(new URL('./extract-baseline-worker.ts', import.meta.url)),
      minThreads: spec.threads,
      maxThreads: spec.threads,
    });
    await Promise.all(warmUp.map((p) => pool.run({ html: p.html })));
    started = performance.now();
    const results = await Promise.all(pages.map((p) => pool.run({ html: p.html })));
    for (const r of results) outputs.push({ text: r.text, failed: r.failed, ms: r.durationMs });
    await pool.destroy();
  } else {
    const pool = createExtractionPool({ threads: spec.threads, engine: spec.engine, timeoutMs: 60_000 });
    await Promise.all(warmUp.map((p) => pool.run(p.html, { url: p.url })));
    started = performance.now();
    const results = await Promise.all(pages.map((p) => pool.run(p.html, { url: p.url, disabledRules: spec.without })));
    for (const r of results) outputs.push({ text: r.text, failed: r.failure ? `${r.failure.reason}: ${r.failure.message}` : null, ms: r.durationMs });
    await pool.close();
  }
  const wallMs = performance.now() - started;
  const memory = spec.kind === 'stage' ? await repeatedPasses(pages, spec) : [];
  const scores = pages.map((p, i) => scorePage(outputs[i]?.text ?? '', p.truth));
  const corpus = scoreCorpus(scores);
  const times = outputs.map((o) => o.ms).sort((a, b) => a - b);
  const failures = outputs.flatMap((o, i) => (o.failed ? [`${pages[i]?.id.slice(0, 12)}: ${o.failed}`] : []));
  return {
    label: spec.kind === 'baseline' ? 'baseline jsdom+Readability' : `stage ${spec.engine}`,
    ...corpus,
    failed: failures.length,
    failures,
    medianMs: quantile(times, 0.5),
    p90Ms: quantile(times, 0.9),
    pagesPerSecond: pages.length / (wallMs / 1000),
    threads: spec.threads,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    memory,
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

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as RunSpec;
spec.threads ||= availableParallelism();
process.stdout.write(`${JSON.stringify(await run(spec))}\n`);
