import type { Worker } from 'bullmq';
import { runRetention, type RetentionDeps } from '../pipeline/maintenance.js';
import { baseOf, createStageWorker, type StageWorkerBase } from './stage-worker.js';

export type MaintenanceWorkerDeps = StageWorkerBase & RetentionDeps;

/** maintenance: scheduled housekeeping; today, dropping article text past `store.retainText` (src/pipeline/maintenance.ts). */
export function createMaintenanceWorker(deps: MaintenanceWorkerDeps): Worker {
  return createStageWorker({
    queue: 'maintenance',
    ...baseOf(deps),
    handle: async ({ task }) => {
      const { cleared, cutoff } = await runRetention(deps);
      return cutoff === null ? { task, skipped: 'store.retainText is not set' } : { task, olderThan: cutoff, cleared };
    },
  });
}
