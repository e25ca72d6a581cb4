import { Worker, type AdvancedOptions, type Job } from 'bullmq';
import type { QueueName, QueuePayload } from '../queues/definitions.js';
import { DEFAULT_OUTAGE_BACKOFF, dependencyOutageOf, OutageGate } from './dependency-outage.js';
import { countJobOutcomes } from './job-events.js';
import { delayWithoutAttempt, failForGood, payloadOf } from './job-control.js';
import type { JobLogFields, StageWorkerBase } from './stage-worker-base.js';

export { baseOf, type JobLogFields, type StageWorkerBase, type WorkerRecovery } from './stage-worker-base.js';
export { delayWithoutAttempt, isLastAttempt } from './job-control.js';

export interface StageWorkerOptions<Q extends QueueName> extends StageWorkerBase {
  queue: Q;
  /** Validated payload in, log fields out. Throw to retry; throw PermanentStageError (or UnrecoverableError) to fail for good. */
  handle: (payload: QueuePayload<Q>, job: Job) => Promise<JobLogFields | void>;
  /** Extra BullMQ worker settings (e.g. a custom backoff strategy for deliveries). */
  settings?: AdvancedOptions;
}

/** ±10% on each wait, so the jobs held by one outage do not all come back in the same millisecond. */
const spread = (ms: number) => Math.max(1, Math.round(ms * (0.9 + Math.random() * 0.2)));

/**
 * The thin BullMQ binding every stage uses: parse the payload, call the stage, write one structured log
 * record per run and count it. Retries are BullMQ's: nothing here swallows a stage's error.
 *
 * The error's type decides: permanent → failed for good; a dependency away (PostgreSQL, Redis: see
 * {@link dependencyOutageOf}) → the job waits with a capped backoff without spending an attempt, however long
 * the outage lasts, and the other jobs of the stage wait with it rather than each trying (see
 * {@link OutageGate}); anything else → BullMQ's attempts and backoff.
 */
export function createStageWorker<Q extends QueueName>(options: StageWorkerOptions<Q>): Worker {
  const { queue, logger, metrics, recovery } = options;
  const log = logger.child({ stage: queue });
  const gate = new OutageGate(recovery?.outageBackoff ?? DEFAULT_OUTAGE_BACKOFF);
  const waitForDependency = async (err: unknown, job: Job): Promise<never> => {
    const outage = dependencyOutageOf(err);
    if (!outage) return failForGood(err);
    const { waitMs, opened } = gate.failed(outage);
    metrics.jobs.inc({ stage: queue, outcome: 'waited' });
    if (opened) log.warn({ jobId: job.id, dependency: outage.dependency, error: outage.reason, retryInMs: waitMs }, `${queue} waits for ${outage.dependency}: jobs try again in ${waitMs} ms, attempts kept`);
    return delayWithoutAttempt(job, spread(waitMs), `${outage.dependency} is unavailable: ${outage.reason}`);
  };
  const run = async (job: Job) => {
    const payload = payloadOf(queue, job);
    const held = gate.held();
    if (held) {
      metrics.jobs.inc({ stage: queue, outcome: 'waited' });
      return delayWithoutAttempt(job, spread(held.waitMs), `waiting for ${held.outage.dependency} (${held.outage.reason})`);
    }
    const started = performance.now();
    const fields = (await options.handle(payload, job).catch((err: unknown) => waitForDependency(err, job))) ?? {};
    if (gate.passed()) log.info({ jobId: job.id }, `${queue}: its dependencies answer again; jobs resume`);
    const seconds = (performance.now() - started) / 1000;
    metrics.stageDuration.observe({ stage: queue }, seconds);
    log.info({ jobId: job.id, attempt: job.attemptsMade + 1, durationMs: Math.round(seconds * 1000), ...fields }, `${queue} done`);
    return fields;
  };
  const limits = recovery ? { lockDuration: recovery.lockDuration, stalledInterval: recovery.stalledInterval, maxStalledCount: recovery.maxStalledCount } : {};
  const worker = new Worker(queue, run, { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency, autorun: true, ...limits, settings: options.settings });
  countJobOutcomes(worker, queue, log, metrics);
  return worker;
}
