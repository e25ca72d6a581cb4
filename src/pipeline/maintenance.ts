import type { Settings } from '../config/settings-schema.js';
import type { Clock } from '../domain/types.js';
import type { ArticleStore } from '../store/article-store.js';

export interface RetentionDeps {
  articles: Pick<ArticleStore, 'applyRetention'>;
  settings: Settings['store'];
  clock: Clock;
}

/**
 * The maintenance stage's `retention` task, behind `store.retainText`: drops text and HTML of articles first
 * seen longer ago than that, keeping labels, evidence and metadata. Without the setting nothing is dropped
 * (cutoff null). Safe to run any number of times; the scheduler runs it hourly as a BullMQ job scheduler.
 */
export async function runRetention(deps: RetentionDeps): Promise<{ cleared: number; cutoff: string | null }> {
  if (deps.settings.retainText === undefined) return { cleared: 0, cutoff: null };
  const cutoff = new Date(deps.clock.now().getTime() - deps.settings.retainText);
  const { cleared } = await deps.articles.applyRetention(cutoff);
  return { cleared, cutoff: cutoff.toISOString() };
}
