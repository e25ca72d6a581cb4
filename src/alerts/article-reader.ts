import type { ArticleRecord } from '../domain/types.js';

/** What alerts read of stored articles (ArticleStore implements it). */
export interface ArticleReader {
  getArticle(id: string): Promise<ArticleRecord | null>;
  streamArticles(query: { since?: Date }): AsyncIterable<ArticleRecord>;
}
