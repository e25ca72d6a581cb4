import type { ArticleWork, Clock } from '../domain/types.js';
import { jobIds, type Enqueue } from '../queues/definitions.js';
import type { WorkStore } from '../queues/work-store.js';
import type { ArticleStore, SaveResult } from '../store/article-store.js';
import { PermanentStageError } from './stage-error.js';

/** What the store stage writes with: the article store itself, or its group commit (`ArticleSaveBatcher`). */
export type ArticleWriter = Pick<ArticleStore, 'saveArticle'>;

/**
 * The store stage: upserts the working document into the reviewed record with the stage's own trace entry,
 * in one transaction. `revision` (hash of labels and scores) lets the caller key alert jobs
 * deterministically; alerts are worth sending when `labelsChanged`.
 */
export async function storeArticle(work: ArticleWork, deps: { articles: ArticleWriter; clock: Clock }): Promise<SaveResult> {
  const started = deps.clock.now();
  return deps.articles.saveArticle(work, ({ created, labelsChanged }) => ({
    stage: 'store',
    at: started.toISOString(),
    // Until the row is written (a batch's wait included): the commit itself is not in it.
    durationMs: Math.max(0, deps.clock.now().getTime() - started.getTime()),
    outcome: 'ok',
    reason: created ? 'created' : labelsChanged ? 'labels changed' : 'updated',
  }));
}

export interface StoreJobDeps {
  work: WorkStore;
  enqueue: Enqueue;
  articles: ArticleWriter;
  clock: Clock;
}

/**
 * The store stage for one job: article id → the reviewed record in PostgreSQL → alert. A database outage
 * throws here and the queue retries with backoff; the working document waits in Redis meanwhile.
 */
export async function runStoreJob(articleId: string, deps: StoreJobDeps): Promise<Record<string, unknown>> {
  const work = await deps.work.get(articleId);
  if (!work) throw new PermanentStageError(`article ${articleId} has no working document (expired)`);
  return storeAndHandOn(work, deps);
}

/** Hands a stored, classified article on to alert; given the article and its label revision, returns log fields. */
export type AlertHandOn = (articleId: string, revision: string) => Promise<Record<string, unknown>>;

/** Hands a stored, classified article to the alert queue, keyed by its label revision. */
export function enqueueAlert(enqueue: Enqueue, articleId: string, revision: string): Promise<void> {
  return enqueue('alert', { kind: 'article', articleId }, { jobId: jobIds.alertArticle(articleId, revision) });
}

/**
 * Stores a working document and hands a classified one on to alert: the store job's work, and the inline
 * path's. The hand-on is the alert job, enqueued, unless `handOn` is given.
 */
export async function storeAndHandOn(
  work: ArticleWork,
  deps: Omit<StoreJobDeps, 'work'>,
  handOn: AlertHandOn = async (articleId, revision) => {
    await enqueueAlert(deps.enqueue, articleId, revision);
    return {};
  },
): Promise<Record<string, unknown>> {
  const result = await storeArticle(work, deps);
  const fields = { articleId: work.id, created: result.created, labelsChanged: result.labelsChanged, feeds: work.sightings.length };
  // Only a classified article can match alert rules; a sighting-only update has nothing new to say.
  if (!work.classification) return fields;
  return { ...fields, ...(await handOn(work.id, result.revision)) };
}
