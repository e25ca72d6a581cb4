import { UnrecoverableError, type Worker } from 'bullmq';
import type { SafeFetcher } from '../domain/types.js';
import { canonicalUrl } from '../feeds/canonical-url.js';
import type { CanonicalClaims } from '../feeds/canonical-claims.js';
import { extractArticle, extractFromFeedAfterFailure, isTransientExtractionError, type ExtractDeps } from '../pipeline/extract.js';
import { jobIds } from '../queues/definitions.js';
import type { QueueClient } from '../queues/queue-client.js';
import { shortHash } from '../lib/short-hash.js';
import type { WorkStore } from '../queues/work-store.js';
import { baseOf, createStageWorker, type StageWorkerBase } from './stage-worker.js';

/** The article already holding this page's canonical address, when it is another one. */
async function claimPageCanonical(articleId: string, pageCanonical: string | null, claims: CanonicalClaims): Promise<string | null> {
  const canonical = pageCanonical ? canonicalUrl(pageCanonical) : null;
  return canonical ? claims.claim(canonical, articleId) : null;
}

/**
 * Records this article's sightings on the article that holds the same page and lets the store stage
 * update it; this one goes no further. False when the holder's working document has expired (then this
 * article simply carries on as its own).
 */
async function mergeInto(holder: string, duplicate: string, deps: ExtractWorkerDeps): Promise<boolean> {
  const [target, source] = await Promise.all([deps.work.get(holder), deps.work.get(duplicate)]);
  if (!target || !source) return false;
  for (const sighting of source.sightings) {
    await deps.work.addSighting({ id: holder, canonicalUrl: target.canonicalUrl, item: target.item, sighting });
  }
  const merged = await deps.work.get(holder);
  await deps.queues.add('store', { articleId: holder }, { jobId: jobIds.store(holder, `merged-${duplicate}-${merged?.sightings.length ?? 0}`) });
  await deps.work.appendTrace(duplicate, { stage: 'extract', at: new Date().toISOString(), durationMs: 0, outcome: 'skipped', reason: `duplicate of ${holder} (same rel=canonical page)` });
  return true;
}

export interface ExtractWorkerDeps extends StageWorkerBase {
  work: WorkStore;
  queues: QueueClient;
  fetcher: SafeFetcher;
  canonicals: CanonicalClaims;
  extract: Omit<ExtractDeps, 'fetcher'>;
}

/** extract: article id → page text (or the feed's own text) on the working document → classify. */
export function createExtractWorker(deps: ExtractWorkerDeps): Worker {
  return createStageWorker({
    queue: 'extract',
    ...baseOf(deps),
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
      const holder = await claimPageCanonical(articleId, extracted.canonicalUrl, deps.canonicals);
      if (holder && (await mergeInto(holder, articleId, deps))) {
        return { articleId, duplicateOf: holder, reason: 'same rel=canonical page' };
      }
      deps.metrics.articlesByMethod.inc({ method: extracted.method });
      // Keyed by the text: a republished edit that changes the text is classified again, a repeat is not.
      await deps.queues.add('classify', { articleId }, { jobId: jobIds.classify(articleId, shortHash(extracted.text)) });
      return { articleId, method: extracted.method, words: extracted.wordCount, confidence: extracted.confidence, flags: extracted.flags };
    },
  });
}
