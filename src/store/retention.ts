import type { Settings } from '../config/settings-schema.js';
import type { Clock } from '../domain/types.js';
import type { ArticleStore } from './article-store.js';

/**
 * The maintenance job behind `store.retainText`: drops text and HTML of articles first seen longer ago than
 * that, keeping labels, evidence and metadata. Without the setting nothing is dropped (cutoff null).
 * Safe to run any number of times; the lead schedules it as a BullMQ repeatable job.
 */
export async function runRetention(deps: { articles: ArticleStore; settings: Settings['store']; clock: Clock }): Promise<{ cleared: number; cutoff: string | null }> {
  if (deps.settings.retainText === undefined) return { cleared: 0, cutoff: null };
  const cutoff = new Date(deps.clock.now().getTime() - deps.settings.retainText);
  const { cleared } = await deps.articles.applyRetention(cutoff);
  return { cleared, cutoff: cutoff.toISOString() };
}
