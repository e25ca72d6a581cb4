import type { ArticleRecord, Classification } from './types.js';

/**
 * What stages and tools read and write of stored articles, as small interfaces (ArticleStore in src/store
 * implements them all), so the alert stage, the backtest and training from reviews depend on these and not
 * on the store.
 */

/** Reads stored articles (the alert stage, alert replay, backtest). */
export interface ArticleReader {
  /** `html: false` leaves the page's HTML out (null): what the alert rules read is the text, and the HTML is most of a row. */
  getArticle(id: string, options?: { html?: boolean }): Promise<ArticleRecord | null>;
  /** `since`: on the article's own time (published, clamped to first seen); `storedSince`: on when it was last stored. */
  streamArticles(query: { since?: Date; storedSince?: Date }): AsyncIterable<ArticleRecord>;
}

/** Writes a new classification over a stored article, keeping the old one in its history (`backtest --apply`). */
export interface ClassificationWriter {
  replaceClassification(id: string, classification: Classification, reason: string): Promise<unknown>;
}

/** The latest reviewer verdicts, one per (article, label) (training from reviews). */
export interface VerdictReader {
  latestVerdicts(options: { since?: Date }): Promise<{ articleId: string }[]>;
}
