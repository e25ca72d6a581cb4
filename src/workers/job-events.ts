import { UnrecoverableError, type Worker } from 'bullmq';
import type { Logger } from '../obs/logger.js';
import type { Metrics } from '../obs/metrics.js';

/**
 * Counts every finished run of a stage's jobs (completed, retried, failed for good) and logs failures: at
 * `warn` while retries are left, at `error` on the last one or when the job cannot succeed at all.
 */
export function countJobOutcomes(worker: Worker, stage: string, log: Logger, metrics: Metrics): void {
  worker.on('completed', () => metrics.jobs.inc({ stage, outcome: 'completed' }));
  worker.on('failed', (job, err) => {
    if (!job) return;
    const attempts = job.opts.attempts ?? 1;
    const final = err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || job.attemptsMade >= attempts;
    metrics.jobs.inc({ stage, outcome: final ? 'failed' : 'retried' });
    const record = { jobId: job.id, attempt: job.attemptsMade, attempts, err: { name: err.name, message: err.message } };
    if (final) log.error(record, `${stage} failed`);
    else log.warn(record, `${stage} will retry`);
  });
  worker.on('error', (err) => log.error({ err }, `${stage} worker error`));
}
