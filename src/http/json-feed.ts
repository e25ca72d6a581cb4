import type { ArticleRecord } from '../domain/types.js';
import { sanitizeArticleHtml } from '../extract/safe-html.js';

/** A JSON Feed 1.1 document (https://www.jsonfeed.org/version/1.1/) with framewatch's `_framewatch` extensions. */
export interface JsonFeed {
  version: 'https://jsonfeed.org/version/1.1';
  title: string;
  home_page_url?: string;
  feed_url?: string;
  description?: string;
  next_url?: string;
  items: JsonFeedItem[];
  _framewatch?: Record<string, unknown>;
}

export interface JsonFeedItem {
  id: string;
  url?: string;
  external_url?: string;
  title?: string;
  content_text?: string;
  content_html?: string;
  summary?: string;
  date_published?: string;
  date_modified?: string;
  authors?: { name: string }[];
  language?: string;
  tags?: string[];
  _framewatch: Record<string, unknown>;
}

/**
 * One article as a feed item: `tags` are its labels (without the ones reviewers rejected), `_framewatch`
 * carries scores, groups, evidence, review states and the feeds it came from.
 */
export function toJsonFeedItem(article: ArticleRecord, apiUrl: string): JsonFeedItem {
  const labels = article.labels.filter((l) => l.review !== 'rejected');
  const firstLink = article.sightings.find((s) => s.link && s.link !== article.canonicalUrl)?.link ?? undefined;
  const item: JsonFeedItem = {
    id: article.id,
    url: article.canonicalUrl,
    title: article.title,
    // The spec requires content_text or content_html; text is null once retention dropped it.
    content_text: article.text ?? article.summary,
    date_published: article.publishedAt ?? article.firstSeenAt,
    date_modified: article.updatedAt,
    tags: labels.map((l) => l.id),
    _framewatch: {
      about: 'https://github.com/framewatch/framewatch#json-feeds',
      api_url: `${apiUrl}/api/articles/${encodeURIComponent(article.id)}`,
      labels: labels.map((l) => ({
        id: l.id,
        score: l.score,
        groups: l.groups,
        review: l.review,
        source: l.source,
        ...(l.direction ? { direction: l.direction } : {}),
        evidence: l.evidence,
      })),
      relevance: article.relevance,
      framework: article.framework,
      model: article.model,
      feeds: article.sightings.map((s) => ({ id: s.feedId, name: s.feedName, link: s.link })),
      first_seen: article.firstSeenAt,
    },
  };
  // Feed readers render content_html: sanitised when served, whatever was stored.
  if (article.html) item.content_html = sanitizeArticleHtml(article.html);
  if (firstLink) item.external_url = firstLink;
  if (article.summary) item.summary = article.summary;
  if (article.byline) item.authors = [{ name: article.byline }];
  if (article.lang) item.language = article.lang;
  return item;
}
