import { Worker, type AdvancedOptions, type Job } from 'bullmq';
import type { QueueName, QueuePayload } from '../queues/definitions.js';
import { countJobOutcomes } from './job-events.js';
import { failForGood, payloadOf } from './job-control.js';
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

/**
 * The thin BullMQ binding every stage uses: parse the payload, call the stage, write one structured log
 * record per run and count it. Retries are BullMQ's: nothing here swallows a stage's error.
 */
export function createStageWorker<Q extends QueueName>(options: StageWorkerOptions<Q>): Worker {
  const { queue, logger, metrics, recovery } = options;
  const log = logger.child({ stage: queue });
  const run = async (job: Job) => {
    const payload = payloadOf(queue, job);
    const started = performance.now();
    const fields = (await options.handle(payload, job).catch(failForGood)) ?? {};
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
