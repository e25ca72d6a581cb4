import type { AppConfig } from '../config/load-config.js';
import type { ArticleSighting, Classification, Classifier, ExtractedArticle, FeedConfig, FeedItem, SafeFetcher } from '../domain/types.js';
import { systemClock } from '../domain/types.js';
import type { ExtractionPool } from '../extract/extraction-pool.js';
import { titleKey } from '../feeds/title-key.js';
import type { Logger } from '../obs/logger.js';
import { classifyArticle } from '../pipeline/classify.js';
import { extractArticle, extractFromFeedAfterFailure, isTransientExtractionError } from '../pipeline/extract.js';
import { pollFeed } from '../pipeline/poll.js';
import type { Db } from '../store/db.js';
import { FeedStateStore } from '../store/feed-state-store.js';
import { MemorySeenItems, MemoryTitleIndex } from './memory-feed-stores.js';

/** One line of `scan` output: an article with its labels, as the service would store it. */
export interface ScannedArticle {
  id: string;
  url: string;
  title: string;
  publishedAt: string | null;
  feeds: ArticleSighting[];
  extraction: { method: ExtractedArticle['method']; confidence: number; flags: string[]; fallbackReason: string | null };
  lang: string | null;
  wordCount: number;
  labels: Classification['labels'];
  relevance: number;
  framework: string;
  model: string;
}

export interface ScanReport {
  feeds: { id: string; name: string; status: string; items: number; error: string | null }[];
  articles: number;
  labelled: number;
}

export interface ScanDeps {
  config: AppConfig;
  feeds: FeedConfig[];
  fetcher: SafeFetcher;
  classifier: Classifier;
  /** Embedded database for feed state (PGlite in memory: no server). */
  db: Db;
  pool?: ExtractionPool;
  logger: Logger;
  onArticle: (article: ScannedArticle) => Promise<void> | void;
  onProgress?: (done: number, total: number) => void;
}

/** Articles fetched and classified at once: enough to keep both cores busy, few enough to be polite. */
const ARTICLE_CONCURRENCY = 4;

/**
 * One pass over the feeds in this process, through the same stage functions the service runs (poll,
 * extract, classify), with feed state in an embedded database and dedupe in memory: no Redis, no server.
 */
export async function scanOnce(deps: ScanDeps): Promise<ScanReport> {
  const state = new FeedStateStore(deps.db);
  const seen = new MemorySeenItems();
  const titles = new MemoryTitleIndex(titleKey);
  const articles = new Map<string, { canonicalUrl: string; item: FeedItem; sightings: ArticleSighting[] }>();
  const report: ScanReport = { feeds: [], articles: 0, labelled: 0 };

  for (const feed of deps.feeds) {
    const result = await pollFeed(feed, { fetcher: deps.fetcher, state, seen, titles, clock: systemClock, settings: deps.config.settings.poll, force: true });
    if (result.status === 'skipped') continue;
    report.feeds.push({ id: feed.id, name: feed.name, status: result.status, items: result.newItems.length, error: result.error ? `${result.error.class}: ${result.error.message}` : null });
    if (result.error) deps.logger.warn({ feedId: feed.id, url: feed.url, error: result.error }, 'feed failed');
    for (const entry of result.newItems) {
      const id = entry.duplicateOf ?? entry.articleId;
      const sighting: ArticleSighting = { feedId: feed.id, feedName: feed.name, link: entry.item.link, guid: entry.item.guid, seenAt: new Date().toISOString() };
      const known = articles.get(id);
      if (known) {
        if (!known.sightings.some((s) => s.feedId === feed.id)) known.sightings.push(sighting);
      } else articles.set(id, { canonicalUrl: entry.canonicalUrl, item: entry.item, sightings: [sighting] });
    }
  }

  const queue = [...articles.entries()];
  let done = 0;
  const next = async (): Promise<void> => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      const [id, article] = entry;
      const extracted = await extractOnce(article, deps);
      const classification = classifyArticle({ title: extracted.title ?? article.item.title, text: extracted.text }, deps.classifier);
      await deps.onArticle({
        id,
        url: article.canonicalUrl,
        title: extracted.title ?? article.item.title,
        publishedAt: article.item.publishedAt ?? extracted.publishedAt,
        feeds: article.sightings,
        extraction: { method: extracted.method, confidence: extracted.confidence, flags: extracted.flags, fallbackReason: extracted.fallbackReason },
        lang: extracted.lang,
        wordCount: extracted.wordCount,
        labels: classification.labels,
        relevance: classification.relevance,
        framework: classification.framework,
        model: classification.model,
      });
      report.articles++;
      if (classification.labels.length > 0) report.labelled++;
      deps.onProgress?.(++done, articles.size);
    }
  };
  await Promise.all(Array.from({ length: ARTICLE_CONCURRENCY }, next));
  return report;
}

/** Without a queue to retry later, a transient failure falls back to the feed's own text at once. */
async function extractOnce(article: { canonicalUrl: string; item: FeedItem }, deps: ScanDeps): Promise<ExtractedArticle> {
  const extractDeps = { fetcher: deps.fetcher, engine: deps.config.settings.extract.engine, minConfidence: deps.config.settings.extract.minConfidence, pool: deps.pool };
  const url = article.item.link ?? article.canonicalUrl;
  try {
    return await extractArticle({ url, item: article.item }, extractDeps);
  } catch (err) {
    if (!isTransientExtractionError(err)) throw err;
    deps.logger.warn({ url, error: err.message }, 'page unavailable; using the feed text');
    return extractFromFeedAfterFailure(article.item, extractDeps, `${err.code}: ${err.message}`);
  }
}
