import type { ArticleWork, Clock } from '../domain/types.js';
import type { ArticleStore } from '../store/article-store.js';

/**
 * The store stage: upserts the working document into the reviewed record and adds the stage's own trace
 * entry. `revision` (hash of labels and scores) lets the caller key alert jobs deterministically; alerts
 * are worth sending when `labelsChanged`.
 */
export async function storeArticle(
  work: ArticleWork,
  deps: { articles: ArticleStore; clock: Clock },
): Promise<{ created: boolean; labelsChanged: boolean; revision: string }> {
  const started = deps.clock.now();
  const result = await deps.articles.saveArticle(work);
  await deps.articles.appendTrace(work.id, {
    stage: 'store',
    at: started.toISOString(),
    durationMs: Math.max(0, deps.clock.now().getTime() - started.getTime()),
    outcome: 'ok',
    reason: result.created ? 'created' : result.labelsChanged ? 'labels changed' : 'updated',
  });
  return result;
}
