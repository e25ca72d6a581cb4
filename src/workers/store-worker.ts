import { UnrecoverableError, type Worker } from 'bullmq';
import type { Clock } from '../domain/types.js';
import { storeArticle } from '../pipeline/store.js';
import { jobIds } from '../queues/definitions.js';
import type { QueueClient } from '../queues/queue-client.js';
import type { WorkStore } from '../queues/work-store.js';
import type { ArticleStore } from '../store/article-store.js';
import { baseOf, createStageWorker, type StageWorkerBase } from './stage-worker.js';

export interface StoreWorkerDeps extends StageWorkerBase {
  work: WorkStore;
  queues: QueueClient;
  articles: ArticleStore;
  clock: Clock;
}

/**
 * store: article id → the reviewed record in PostgreSQL → alert. A database outage throws here and
 * BullMQ retries with backoff; the working document waits in Redis meanwhile.
 */
export function createStoreWorker(deps: StoreWorkerDeps): Worker {
  return createStageWorker({
    queue: 'store',
    ...baseOf(deps),
    handle: async ({ articleId }) => {
      const work = await deps.work.get(articleId);
      if (!work) throw new UnrecoverableError(`article ${articleId} has no working document (expired)`);
      const result = await storeArticle(work, { articles: deps.articles, clock: deps.clock });
      // Only a classified article can match alert rules; a sighting-only update has nothing new to say.
      if (work.classification) {
        await deps.queues.add('alert', { kind: 'article', articleId }, { jobId: jobIds.alertArticle(articleId, result.revision) });
      }
      return { articleId, created: result.created, labelsChanged: result.labelsChanged, feeds: work.sightings.length };
    },
  });
}
