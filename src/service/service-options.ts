import type { QueueName } from '../queues/definitions.js';

/** Which parts of framewatch one process runs. `start` runs them all; other roles run a subset. */
export interface ServiceRoles {
  /** Keeps the feed schedulers in line with feeds.yaml and schedules maintenance. */
  scheduler: boolean;
  /** Serves the HTTP API, JSON Feeds, health and metrics. */
  api: boolean;
  /** The queue stages whose workers run here. */
  stages: QueueName[];
  /** Per-stage concurrency overrides (`--concurrency extract=4`). */
  concurrency: Partial<Record<QueueName, number>>;
}
