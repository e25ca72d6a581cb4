import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { ZodError } from 'zod';
import { PermanentStageError } from '../pipeline/stage-error.js';
import { parsePayload, type QueueName, type QueuePayload } from '../queues/definitions.js';

/** The job's payload, validated; one no version of this code can read fails for good (a retry cannot mend it). */
export function payloadOf<Q extends QueueName>(queue: Q, job: Job): QueuePayload<Q> {
  try {
    return parsePayload(queue, job.data);
  } catch (err) {
    throw new UnrecoverableError(`invalid ${queue} payload: ${err instanceof ZodError ? err.message : String(err)}`);
  }
}

/** A stage's permanent failure becomes BullMQ's UnrecoverableError (same message); anything else is rethrown as is. */
export function failForGood(err: unknown): never {
  if (err instanceof PermanentStageError) throw new UnrecoverableError(err.message);
  throw err;
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
