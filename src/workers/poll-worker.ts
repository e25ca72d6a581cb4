import type { Worker } from 'bullmq';
import { RedisPollLock } from '../feeds/poll-lock.js';
import { runPollJob, type PollJobDeps } from '../pipeline/poll.js';
import type { QueueClient } from '../queues/queue-client.js';
import { baseOf, createStageWorker, type StageWorkerBase } from './stage-worker.js';

export interface PollWorkerDeps extends StageWorkerBase, Pick<PollJobDeps, 'work' | 'feeds' | 'clock'> {
  queues: QueueClient;
  /** The poll's own I/O; its clock is `clock`. */
  poll: PollJobDeps['poll'];
}

/** poll: feed id → new items handed on to extract or store, health changes to alert (src/pipeline/poll.ts). */
export function createPollWorker(deps: PollWorkerDeps): Worker {
  const stage: PollJobDeps = { poll: deps.poll, work: deps.work, feeds: deps.feeds, clock: deps.clock, enqueue: deps.queues.enqueue, lock: new RedisPollLock(deps.connection, deps.prefix) };
  return createStageWorker({ queue: 'poll', ...baseOf(deps), handle: ({ feedId }, job) => runPollJob(feedId, `${process.pid}-${job.id ?? ''}`, stage) });
}
