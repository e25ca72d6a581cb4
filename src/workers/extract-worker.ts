import type { Worker } from 'bullmq';
import { systemClock } from '../domain/types.js';
import { runExtractJob, type ExtractJobDeps } from '../pipeline/extract.js';
import type { QueueClient } from '../queues/queue-client.js';
import { baseOf, createStageWorker, delayWithoutAttempt, isLastAttempt, type StageWorkerBase } from './stage-worker.js';

export interface ExtractWorkerDeps extends StageWorkerBase, Pick<ExtractJobDeps, 'work' | 'canonicals' | 'inline'>, Partial<Pick<ExtractJobDeps, 'clock'>> {
  queues: QueueClient;
  fetcher: ExtractJobDeps['extract']['fetcher'];
  extract: Omit<ExtractJobDeps['extract'], 'fetcher'>;
}

/**
 * extract: article id → page text (or the feed's own text) on the working document → classify
 * (src/pipeline/extract.ts); with `inline`, classified and stored in the same job (src/pipeline/inline-follow-on.ts).
 */
export function createExtractWorker(deps: ExtractWorkerDeps): Worker {
  const stage: ExtractJobDeps = { work: deps.work, canonicals: deps.canonicals, clock: deps.clock ?? systemClock, enqueue: deps.queues.enqueue, extract: { ...deps.extract, fetcher: deps.fetcher }, ...(deps.inline ? { inline: deps.inline } : {}) };
  return createStageWorker({
    queue: 'extract',
    ...baseOf(deps),
    handle: async ({ articleId, deferred = 0 }, job) => {
      const result = await runExtractJob(articleId, { last: isLastAttempt(job), deferred }, stage);
      if (result.next === 'later') {
        await job.updateData({ articleId, deferred: deferred + 1 });
        return delayWithoutAttempt(job, result.delayMs, result.reason);
      }
      if (result.method) deps.metrics.articlesByMethod.inc({ method: result.method });
      for (const label of result.classification?.labels ?? []) deps.metrics.labelsApplied.inc({ label: label.id });
      return result.fields;
    },
  });
}
