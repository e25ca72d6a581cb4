import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Settings } from '../config/settings-schema.js';
import type { Clock } from '../domain/types.js';
import type { Logger } from '../obs/logger.js';
import type { Metrics } from '../obs/metrics.js';
import type { ArticleStore } from '../store/article-store.js';
import { createStageWorker, type WorkerRecovery } from './stage-worker.js';

export interface MaintenanceWorkerDeps {
  connection: Redis;
  prefix: string;
  concurrency: number;
  logger: Logger;
  metrics: Metrics;
  recovery?: WorkerRecovery;
  articles: Pick<ArticleStore, 'applyRetention'>;
  settings: Settings['store'];
  clock: Clock;
}

/** maintenance: scheduled housekeeping; today, dropping article text past `store.retainText`. */
export function createMaintenanceWorker(deps: MaintenanceWorkerDeps): Worker {
  return createStageWorker({
    queue: 'maintenance',
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: deps.concurrency,
    logger: deps.logger,
    metrics: deps.metrics,
    recovery: deps.recovery,
    handle: async ({ task }) => {
      const retainMs = deps.settings.retainText;
      if (retainMs === undefined) return { task, skipped: 'store.retainText is not set' };
      const olderThan = new Date(deps.clock.now().getTime() - retainMs);
      const { cleared } = await deps.articles.applyRetention(olderThan);
      return { task, olderThan: olderThan.toISOString(), cleared };
    },
  });
}
