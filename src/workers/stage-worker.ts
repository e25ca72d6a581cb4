import { DelayedError, UnrecoverableError, Worker, type AdvancedOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { ZodError } from 'zod';
import { PermanentStageError } from '../pipeline/stage-error.js';
import { parsePayload, type QueueName, type QueuePayload } from '../queues/definitions.js';
import type { Logger } from '../obs/logger.js';
import type { Metrics } from '../obs/metrics.js';

/** What a stage returns for the job's log record (feed id, items new, labels, …). */
export type JobLogFields = Record<string, unknown>;

/** Lock and stalled-job recovery settings (settings.queues). */
export interface WorkerRecovery {
  lockDuration: number;
  stalledInterval: number;
  maxStalledCount: number;
}

/** What every stage's worker binding gets from the process: its Redis, key prefix, logging and metrics. */
export interface StageWorkerBase {
  connection: Redis;
  prefix: string;
  concurrency: number;
  logger: Logger;
  metrics: Metrics;
  /** Lock and stalled-job recovery (settings.queues); BullMQ's defaults when absent. */
  recovery?: WorkerRecovery;
}

export interface StageWorkerOptions<Q extends QueueName> extends StageWorkerBase {
  queue: Q;
  /** Validated payload in, log fields out. Throw to retry; throw UnrecoverableError to fail for good. */
  handle: (payload: QueuePayload<Q>, job: Job) => Promise<JobLogFields | void>;
  /** Extra BullMQ worker settings (e.g. a custom backoff strategy for deliveries). */
  settings?: AdvancedOptions;
}

/** Whether this run is the job's last attempt (a stage falls back or dead-letters instead of failing). */
export function isLastAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/**
 * Moves the job to delayed for `delayMs` without spending an attempt (BullMQ keeps attemptsMade as it is for
 * a job its processor moves to delayed) and ends this run. The timestamp is BullMQ's wall-clock time, not a
 * stage's Clock: Redis compares it with the real time.
 */
export async function delayWithoutAttempt(job: Job, delayMs: number, reason: string): Promise<never> {
  await job.moveToDelayed(Date.now() + delayMs, job.token);
  throw new DelayedError(reason);
}

/** The base fields of a binding's deps, so each binding passes them on without repeating them. */
export function baseOf(deps: StageWorkerBase): StageWorkerBase {
  const { connection, prefix, concurrency, logger, metrics, recovery } = deps;
  return { connection, prefix, concurrency, logger, metrics, recovery };
}

/**
 * The thin BullMQ binding every stage uses: parse the payload, call the stage, write one structured log
 * record per run and count it. Retries are BullMQ's: nothing here catches a stage's error.
 */
export function createStageWorker<Q extends QueueName>(options: StageWorkerOptions<Q>): Worker {
  const { queue, logger, metrics } = options;
  const log = logger.child({ stage: queue });
  const worker = new Worker(
    queue,
    async (job: Job) => {
      let payload: QueuePayload<Q>;
      try {
        payload = parsePayload(queue, job.data);
      } catch (err) {
        // A payload no version of this code can read will never succeed on retry.
        throw new UnrecoverableError(`invalid ${queue} payload: ${err instanceof ZodError ? err.message : String(err)}`);
      }
      const started = performance.now();
      const fields = (await options.handle(payload, job).catch(failForGood)) ?? {};
      const seconds = (performance.now() - started) / 1000;
      metrics.stageDuration.observe({ stage: queue }, seconds);
      log.info({ jobId: job.id, attempt: job.attemptsMade + 1, durationMs: Math.round(seconds * 1000), ...fields }, `${queue} done`);
      return fields;
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      autorun: true,
      ...(options.recovery
        ? { lockDuration: options.recovery.lockDuration, stalledInterval: options.recovery.stalledInterval, maxStalledCount: options.recovery.maxStalledCount }
        : {}),
      settings: options.settings,
    },
  );

  worker.on('completed', () => metrics.jobs.inc({ stage: queue, outcome: 'completed' }));
  worker.on('failed', (job, err) => {
    if (!job) return;
    const attempts = job.opts.attempts ?? 1;
    const final = err instanceof UnrecoverableError || err.name === 'UnrecoverableError' || job.attemptsMade >= attempts;
    metrics.jobs.inc({ stage: queue, outcome: final ? 'failed' : 'retried' });
    const record = { jobId: job.id, attempt: job.attemptsMade, attempts, err: { name: err.name, message: err.message } };
    if (final) log.error(record, `${queue} failed`);
    else log.warn(record, `${queue} will retry`);
  });
  worker.on('error', (err) => log.error({ err }, `${queue} worker error`));
  return worker;
}

/** A stage's permanent failure becomes BullMQ's UnrecoverableError (same message); anything else is rethrown as is. */
function failForGood(err: unknown): never {
  if (err instanceof PermanentStageError) throw new UnrecoverableError(err.message);
  throw err;
}
