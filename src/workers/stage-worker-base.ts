import type { RedisClient } from '../queues/connection.js';
import type { Logger } from '../obs/logger.js';
import type { Metrics } from '../obs/metrics.js';
import type { OutageBackoff } from './dependency-outage.js';

/** What a stage returns for the job's log record (feed id, items new, labels, …). */
export type JobLogFields = Record<string, unknown>;

/** Lock and stalled-job recovery settings (settings.queues). */
export interface WorkerRecovery {
  lockDuration: number;
  stalledInterval: number;
  maxStalledCount: number;
  /** How a job waits while its dependency (PostgreSQL, Redis) is away; 1 s doubling to 60 s when absent. */
  outageBackoff?: OutageBackoff;
}

/** What every stage's worker binding gets from the process: its Redis, key prefix, logging and metrics. */
export interface StageWorkerBase {
  connection: RedisClient;
  prefix: string;
  concurrency: number;
  logger: Logger;
  metrics: Metrics;
  /** Lock and stalled-job recovery (settings.queues); BullMQ's defaults when absent. */
  recovery?: WorkerRecovery;
}

/** The base fields of a binding's deps, so each binding passes them on without repeating them. */
export function baseOf(deps: StageWorkerBase): StageWorkerBase {
  const { connection, prefix, concurrency, logger, metrics, recovery } = deps;
  return { connection, prefix, concurrency, logger, metrics, recovery };
}
