import { UnrecoverableError, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { SafeFetcher } from '../domain/types.js';
import type { Logger } from '../obs/logger.js';
import type { Metrics } from '../obs/metrics.js';
import { extractArticle, extractFromFeedAfterFailure, isTransientExtractionError, type ExtractDeps } from '../pipeline/extract.js';
import { jobIds } from '../queues/definitions.js';
import type { QueueClient } from '../queues/queue-client.js';
import { shortHash } from '../queues/revision.js';
import type { WorkStore } from '../queues/work-store.js';
import { createStageWorker, type WorkerRecovery } from './stage-worker.js';

export interface ExtractWorkerDeps {
  connection: Redis;
  prefix: string;
  concurrency: number;
  logger: Logger;
  metrics: Metrics;
  recovery?: WorkerRecovery;
  work: WorkStore;
  queues: QueueClient;
  fetcher: SafeFetcher;
  extract: Omit<ExtractDeps, 'fetcher'>;
}

/** extract: article id → page text (or the feed's own text) on the working document → classify. */
export function createExtractWorker(deps: ExtractWorkerDeps): Worker {
  return createStageWorker({
    queue: 'extract',
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: deps.concurrency,
    logger: deps.logger,
    metrics: deps.metrics,
    recovery: deps.recovery,
    handle: async ({ articleId }, job) => {
      const work = await deps.work.get(articleId);
      if (!work) throw new UnrecoverableError(`article ${articleId} has no working document (expired)`);
      const started = Date.now();
      const url = work.item.link ?? work.canonicalUrl;
      let extracted;
      try {
        extracted = await extractArticle({ url, item: work.item }, { ...deps.extract, fetcher: deps.fetcher });
      } catch (err) {
        // Transient failures retry with backoff; on the last attempt the article goes on with the feed's
        // own text rather than being lost.
        const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        if (!lastAttempt || !isTransientExtractionError(err)) throw err;
        extracted = extractFromFeedAfterFailure(work.item, deps.extract, `${err.code}: ${err.message}`);
      }
      await deps.work.setExtracted(articleId, extracted, {
        stage: 'extract',
        at: new Date(started).toISOString(),
        durationMs: Date.now() - started,
        outcome: extracted.method === 'readability' ? 'ok' : 'fallback',
        ...(extracted.fallbackReason ? { reason: extracted.fallbackReason } : {}),
      });
      deps.metrics.articlesByMethod.inc({ method: extracted.method });
      // Keyed by the text: a republished edit that changes the text is classified again, a repeat is not.
      await deps.queues.add('classify', { articleId }, { jobId: jobIds.classify(articleId, shortHash(extracted.text)) });
      return { articleId, method: extracted.method, words: extracted.wordCount, confidence: extracted.confidence, flags: extracted.flags };
    },
  });
}
