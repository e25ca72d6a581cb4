import type { ArticleReader } from '../domain/stored-articles.js';
import type { ArticleRecord } from '../domain/types.js';
import { evaluateArticleAlerts, type AlertDeps, type DigestDue } from './alert.js';

export interface ReplaySummary {
  articles: number;
  matched: number;
  /** Pending deliveries to enqueue: new ones, and earlier ones never delivered (same ids as before). */
  deliveries: string[];
  digests: DigestDue[];
  /** Decisions by outcome, e.g. { sent: 3, duplicate: 2 }. */
  outcomes: Record<string, number>;
}

/**
 * Re-runs the current rules over the articles stored since a time (`framewatch alerts replay --since 24h`):
 * stored or updated by the store stage then, however old the story itself (a feed's backlog of last week,
 * stored a minute ago, is in `--since 1h`). Decisions are stored per (rule, article) and delivery ids derive
 * from (endpoint, event), so a replay finds what was already decided and sends nothing twice; a new rule or
 * endpoint gets its alerts now.
 */
export async function replayAlerts(reader: Pick<ArticleReader, 'streamArticles'>, deps: AlertDeps, storedSince: Date): Promise<ReplaySummary> {
  const summary: ReplaySummary = { articles: 0, matched: 0, deliveries: [], digests: [], outcomes: {} };
  const articles: ArticleRecord[] = [];
  for await (const a of reader.streamArticles({ storedSince })) articles.push(a);
  // Oldest first, as they arrived: the first article of a story is the one alerted on.
  articles.sort((a, b) => a.firstSeenAt.localeCompare(b.firstSeenAt) || a.id.localeCompare(b.id));
  for (const article of articles) {
    summary.articles++;
    const result = await evaluateArticleAlerts(article, deps);
    if (result.matched.length > 0) summary.matched++;
    summary.deliveries.push(...result.deliveries);
    summary.digests.push(...result.digests);
    for (const d of result.decisions) summary.outcomes[d.outcome] = (summary.outcomes[d.outcome] ?? 0) + 1;
  }
  return summary;
}
