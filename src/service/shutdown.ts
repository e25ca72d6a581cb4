import type { Logger } from '../obs/logger.js';

export interface ShutdownStep {
  name: string;
  run: () => Promise<void>;
  /** Bound on this step; closing a connection or a pool needs seconds, jobs in flight their grace. */
  timeoutMs?: number;
}

/**
 * Runs shutdown steps in order (stop intake, finish or return jobs, close queues, Redis and the pool),
 * each bounded so a hung connection cannot keep the process alive forever.
 */
export async function runShutdown(steps: ShutdownStep[], logger: Logger, stepTimeoutMs = 5_000): Promise<void> {
  for (const step of steps) {
    const started = performance.now();
    const limitMs = step.timeoutMs ?? stepTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        step.run(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`did not finish within ${limitMs} ms`)), limitMs);
        }),
      ]);
      logger.info({ step: step.name, durationMs: Math.round(performance.now() - started) }, 'shutdown step done');
    } catch (err) {
      logger.warn({ step: step.name, error: (err as Error).message }, 'shutdown step failed; continuing');
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Calls `stop` once on SIGTERM or SIGINT; a second signal exits at once. */
export function onTerminationSignal(stop: (signal: string) => Promise<void>): () => void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    void stop(signal).finally(() => process.exit(process.exitCode ?? 0));
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
}
