import type { AppConfig } from '../config/load-config.js';
import { systemClock, type ArticleSighting, type ArticleWork, type Classification, type Classifier, type Clock, type ExtractedArticle, type FeedConfig, type SafeFetcher } from '../domain/types.js';
import type { ExtractionPool } from '../extract/extraction-pool.js';
import { titleKey } from '../feeds/title-key.js';
import type { Logger } from '../obs/logger.js';
import { classifyArticle, declaredLanguage } from '../pipeline/classify.js';
import { extractPage, type ExtractDeps } from '../pipeline/extract.js';
import { handOnItems, pollFeed } from '../pipeline/poll.js';
import type { Enqueue } from '../queues/definitions.js';
import { MemoryWorkStore } from '../queues/memory-work-store.js';
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
  /** The poll and extract settings are what a scan reads of the configuration. */
  config: Pick<AppConfig, 'settings'>;
  feeds: FeedConfig[];
  fetcher: SafeFetcher;
  classifier: Classifier;
  /** Embedded database for feed state (PGlite in memory: no server). */
  db: Db;
  pool?: ExtractionPool;
  logger: Logger;
  onArticle: (article: ScannedArticle) => Promise<void> | void;
  onProgress?: (done: number, total: number) => void;
  /** The system clock when absent. */
  clock?: Clock;
}

/** Articles fetched and classified at once: enough to keep both cores busy, few enough to be polite. */
const ARTICLE_CONCURRENCY = 4;

/**
 * One pass over the feeds in this process, through the same stage functions the service runs: the poll
 * and its hand-on (working documents in memory, the extract jobs as this run's to-do list), the page step
 * of extract and classify, with feed state in an embedded database and dedupe in memory: no Redis, no server.
 */
export async function scanOnce(deps: ScanDeps): Promise<ScanReport> {
  const clock = deps.clock ?? systemClock;
  const poll = { fetcher: deps.fetcher, state: new FeedStateStore(deps.db), seen: new MemorySeenItems(), titles: new MemoryTitleIndex(titleKey), clock, settings: deps.config.settings.poll };
  const work = new MemoryWorkStore();
  // With no queues, an extract job is an entry on this run's list; a store job (another feed's sighting of a
  // known article) has nothing left to do here: the hand-on already put the sighting on the document.
  const toExtract: string[] = [];
  const enqueue: Enqueue = async (queue, payload) => {
    if (queue === 'extract' && 'articleId' in payload) toExtract.push(payload.articleId);
  };
  const report: ScanReport = { feeds: [], articles: 0, labelled: 0 };

  for (const feed of deps.feeds) {
    const deliver = async (items: Parameters<typeof handOnItems>[1]) => void (await handOnItems(feed, items, { work, enqueue, clock }));
    const result = await pollFeed(feed, { ...poll, deliver, force: true });
    if (result.status === 'skipped') continue;
    report.feeds.push({ id: feed.id, name: feed.name, status: result.status, items: result.newItems.length, error: result.error ? `${result.error.class}: ${result.error.message}` : null });
    if (result.error) deps.logger.warn({ feedId: feed.id, url: feed.url, error: result.error }, 'feed failed');
  }

  const queue = [...toExtract];
  const total = queue.length;
  let done = 0;
  const next = async (): Promise<void> => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      const article = await work.get(id);
      if (!article) continue;
      const extracted = await extractOnce(article, deps);
      const classification = classifyArticle({ title: extracted.title ?? article.item.title, text: extracted.text, lang: declaredLanguage(extracted) }, deps.classifier);
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
      deps.onProgress?.(++done, total);
    }
  };
  await Promise.all(Array.from({ length: ARTICLE_CONCURRENCY }, next));
  return report;
}

/** Without a queue to retry later, every try is the last: a transient failure falls back to the feed's own text at once. */
async function extractOnce(article: ArticleWork, deps: ScanDeps): Promise<ExtractedArticle> {
  const extractDeps: ExtractDeps = { fetcher: deps.fetcher, engine: deps.config.settings.extract.engine, minConfidence: deps.config.settings.extract.minConfidence, pool: deps.pool, clock: deps.clock };
  const { extracted } = await extractPage(article, extractDeps, { last: true, mayDefer: false });
  if (extracted.flags.includes('retries-exhausted')) {
    deps.logger.warn({ url: article.item.link ?? article.canonicalUrl, error: extracted.fallbackReason }, 'page unavailable; using the feed text');
  }
  return extracted;
}
