import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { DomEngine } from './dom-engine.js';
import type { PoolTask } from './pool-worker.js';
import type { ExtractOptions, HtmlExtraction } from './types.js';

/** Options of {@link createExtractionPool}. */
export interface ExtractionPoolOptions {
  /** Worker threads; defaults to the machine's available parallelism. */
  threads?: number;
  /** The engine used when a call does not name one. */
  engine: DomEngine;
  /** A page still being extracted after this long has its thread terminated and becomes a `timeout` failure. */
  timeoutMs: number;
  /** Heap cap per thread: a page that blows it kills only its thread (`worker-crash`). */
  maxHeapMb?: number;
}

/** Options of one pooled extraction: the engine and the time limit default to the pool's. */
export type PoolRunOptions = Omit<ExtractOptions, 'engine'> & { engine?: DomEngine; timeoutMs?: number };

/** Extraction on worker threads: uses every core and isolates a runaway page from the caller. */
export interface ExtractionPool {
  /** Never rejects for a bad page: timeouts and dead threads come back as a failed {@link HtmlExtraction}. */
  run(html: string, options: PoolRunOptions): Promise<HtmlExtraction>;
  readonly threads: number;
  close(): Promise<void>;
}

/**
 * The worker file next to this module: `pool-worker.js` when compiled, `pool-worker.ts` when the
 * service runs from sources under tsx (threads then load tsx too).
 */
function workerEntry(): { filename: string; execArgv: string[] } {
  const js = fileURLToPath(new URL('./pool-worker.js', import.meta.url));
  if (existsSync(js)) return { filename: js, execArgv: [] };
  const ts = fileURLToPath(new URL('./pool-worker.ts', import.meta.url));
  const hasTsx = process.execArgv.some((a, i, all) => /(^|[=/])tsx(\/|$)/.test(a) || (a === '--import' && /tsx/.test(all[i + 1] ?? '')));
  return { filename: ts, execArgv: hasTsx ? [] : ['--import', 'tsx'] };
}

export function createExtractionPool(options: ExtractionPoolOptions): ExtractionPool {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const heapMb = options.maxHeapMb ?? 768;
  const entry = workerEntry();
  const create = (): Piscina<PoolTask, HtmlExtraction> =>
    new Piscina<PoolTask, HtmlExtraction>({
      filename: entry.filename,
      minThreads: threads,
      maxThreads: threads,
      // Threads inherit the parent's execArgv unless given one; tsx's loader is added only when running
      // from sources in a process that was not started with it (e.g. under vitest).
      ...(entry.execArgv.length > 0 ? { execArgv: entry.execArgv } : {}),
      idleTimeout: 60_000,
      // A larger young generation lets each page's DOM die young (linkedom allocates a WeakMap entry per
      // node): measured +8% pages/s on the benchmark at +90 MB peak RSS; 128 MB gained nothing more. It is
      // kept to an eighth of the heap limit: with a young generation larger than the old one, a page that
      // overflows the heap can fail a scavenge, which V8 treats as fatal for the whole process instead of
      // ending only the thread (a 48 MB limit beside the 64 MB young generation took the test process down
      // once in CI, under load; ten runs alone did not repeat it).
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(4, Math.floor(heapMb / 8))) },
    });
  let pool = create();
  let closed = false;
  // At most one task per thread is handed to piscina, so a page's time limit starts when a thread takes
  // it, not while it waits behind a burst of other pages.
  let running = 0;
  const waiting: (() => void)[] = [];
  const acquire = async (): Promise<void> => {
    if (running < threads) {
      running++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };

  const failed = (reason: 'timeout' | 'worker-crash', message: string, started: number): HtmlExtraction => ({
    text: '',
    html: null,
    title: null,
    byline: null,
    publishedAt: null,
    modifiedAt: null,
    lang: null,
    siteName: null,
    canonicalUrl: null,
    leadImage: null,
    description: null,
    wordCount: 0,
    confidence: 0,
    flags: [reason],
    failure: { reason, message },
    durationMs: Math.round(performance.now() - started),
  });

  return {
    threads,
    async run(html, runOptions) {
      if (closed) throw new Error('extraction pool is closed');
      const started = performance.now();
      const { timeoutMs = options.timeoutMs, engine = options.engine, ...extractOptions } = runOptions;
      const task: PoolTask = { html, options: { ...extractOptions, engine } };
      await acquire();
      const signal = AbortSignal.timeout(Math.max(1, Math.ceil(timeoutMs)));
      const current = pool;
      try {
        if (closed) throw new Error('extraction pool is closed');
        return await current.run(task, { signal });
      } catch (err) {
        if (closed) throw err;
        if (signal.aborted) return failed('timeout', `extraction took longer than ${timeoutMs} ms; its thread was stopped`, started);
        // The thread died (heap limit, native crash). Piscina replaces threads, but a pool whose threads
        // keep dying is replaced whole so later pages start clean.
        if (!closed && current === pool) {
          pool = create();
          void current.destroy().catch(() => undefined);
        }
        return failed('worker-crash', `extraction thread failed: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300), started);
      } finally {
        release();
      }
    },
    async close() {
      closed = true;
      // Waiting callers wake up and reject with "closed".
      for (const wake of waiting.splice(0)) wake();
      await pool.destroy();
    },
  };
}
