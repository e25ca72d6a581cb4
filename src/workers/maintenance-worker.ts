import type { Worker } from 'bullmq';
import type { Settings } from '../config/settings-schema.js';
import type { Clock } from '../domain/types.js';
import type { ArticleStore } from '../store/article-store.js';
import { baseOf, createStageWorker, type StageWorkerBase } from './stage-worker.js';

export interface MaintenanceWorkerDeps extends StageWorkerBase {
  articles: Pick<ArticleStore, 'applyRetention'>;
  settings: Settings['store'];
  clock: Clock;
}

/** maintenance: scheduled housekeeping; today, dropping article text past `store.retainText`. */
export function createMaintenanceWorker(deps: MaintenanceWorkerDeps): Worker {
  return createStageWorker({
    queue: 'maintenance',
    ...baseOf(deps),
    handle: async ({ task }) => {
      const retainMs = deps.settings.retainText;
      if (retainMs === undefined) return { task, skipped: 'store.retainText is not set' };
      const olderThan = new Date(deps.clock.now().getTime() - retainMs);
      const { cleared } = await deps.articles.applyRetention(olderThan);
      return { task, olderThan: olderThan.toISOString(), cleared };
    },
  });
}
