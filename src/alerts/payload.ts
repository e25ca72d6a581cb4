import type { ArticleRecord, SanctionsDirection } from '../domain/types.js';
import type { FeedHealthAlertEvent } from './feed-health-event.js';
import type { WebhookEventType } from './delivery-id.js';

/** Evidence sentences sent per label, and their length cap: enough to judge, small enough for chat tools. */
const EVIDENCE_PER_LABEL = 3;
const EVIDENCE_CHARS = 300;

/** What a webhook says about one article (also stored with each alert for digests and "also reported by"). */
export interface ArticleSummary {
  id: string;
  url: string;
  title: string;
  publishedAt: string | null;
  firstSeenAt: string;
  lang: string | null;
  feeds: { id: string; name: string; link: string | null }[];
  labels: { id: string; score: number; groups: string[]; direction: SanctionsDirection | null; evidence: string[] }[];
  /** The sanctions direction of the first label that has one. */
  direction: SanctionsDirection | null;
}

/** The Standard Webhooks payload shape: `type`, `timestamp` (of the event) and `data`. */
export interface WebhookEvent {
  type: WebhookEventType;
  timestamp: string;
  data: Record<string, unknown>;
}

export interface Links {
  /** The API's base URL, e.g. https://framewatch.example/api. */
  api: string;
  /** The article's JSON record in the API. */
  record?: string;
}

export function summarizeArticle(article: ArticleRecord, labelIds?: string[]): ArticleSummary {
  const labels = article.labels
    .filter((l) => l.review !== 'rejected' && (!labelIds || labelIds.includes(l.id)))
    .sort((a, b) => b.score - a.score)
    .map((l) => ({
      id: l.id,
      score: Math.round(l.score * 1000) / 1000,
      groups: l.groups,
      direction: l.direction ?? null,
      evidence: l.evidence.slice(0, EVIDENCE_PER_LABEL).map((e) => clip(e.text, EVIDENCE_CHARS)),
    }));
  return {
    id: article.id,
    url: article.canonicalUrl,
    title: article.title,
    publishedAt: article.publishedAt,
    firstSeenAt: article.firstSeenAt,
    lang: article.lang,
    feeds: article.sightings.map((s) => ({ id: s.feedId, name: s.feedName, link: s.link })),
    labels,
    direction: labels.find((l) => l.direction)?.direction ?? null,
  };
}

export function linksFor(publicUrl: string, articleId?: string): Links {
  const api = `${publicUrl.replace(/\/+$/, '')}/api`;
  return articleId ? { api, record: `${api}/articles/${encodeURIComponent(articleId)}` } : { api };
}

export function articleMatchedEvent(input: { ruleId: string; article: ArticleSummary; publicUrl: string; at: Date }): WebhookEvent {
  return {
    type: 'article.matched',
    timestamp: input.at.toISOString(),
    data: { rule: { id: input.ruleId }, article: input.article, links: linksFor(input.publicUrl, input.article.id) },
  };
}

/** A near-duplicate of a story already alerted on: the new article, the first one, and every outlet so far. */
export function articleUpdatedEvent(input: {
  ruleId: string;
  article: ArticleSummary;
  storyOf: string;
  alsoReportedBy: ArticleSummary[];
  similarity: number;
  publicUrl: string;
  at: Date;
}): WebhookEvent {
  return {
    type: 'article.updated',
    timestamp: input.at.toISOString(),
    data: {
      rule: { id: input.ruleId },
      article: input.article,
      story: {
        firstArticleId: input.storyOf,
        similarity: Math.round(input.similarity * 100) / 100,
        alsoReportedBy: input.alsoReportedBy.map((a) => ({ id: a.id, url: a.url, title: a.title, feeds: a.feeds.map((f) => f.name) })),
      },
      links: linksFor(input.publicUrl, input.article.id),
    },
  };
}

export function digestEvent(input: { ruleId: string; windowStart: Date; windowEnd: Date; articles: ArticleSummary[]; publicUrl: string; at: Date }): WebhookEvent {
  return {
    type: 'article.digest',
    timestamp: input.at.toISOString(),
    data: {
      rule: { id: input.ruleId },
      window: { start: input.windowStart.toISOString(), end: input.windowEnd.toISOString() },
      count: input.articles.length,
      articles: input.articles.map((a) => ({ ...a, links: linksFor(input.publicUrl, a.id) })),
      links: linksFor(input.publicUrl),
    },
  };
}

export function feedHealthWebhookEvent(input: { ruleId: string; event: FeedHealthAlertEvent; publicUrl: string }): WebhookEvent {
  const e = input.event;
  return {
    type: 'feed.health',
    timestamp: e.at,
    data: {
      rule: { id: input.ruleId },
      feed: { id: e.feedId, name: e.feedName },
      state: e.state,
      previousState: e.previousState,
      ...(e.kind ? { kind: e.kind } : {}),
      reason: e.reason,
      at: e.at,
      links: linksFor(input.publicUrl),
    },
  };
}

export function endpointDisabledEvent(input: { endpointId: string; reason: string; failingSince: Date | null; at: Date; publicUrl: string }): WebhookEvent {
  return {
    type: 'endpoint.disabled',
    timestamp: input.at.toISOString(),
    data: {
      endpoint: { id: input.endpointId },
      reason: input.reason,
      failingSince: input.failingSince?.toISOString() ?? null,
      disabledAt: input.at.toISOString(),
      links: { ...linksFor(input.publicUrl), deliveries: `${linksFor(input.publicUrl).api}/deliveries?endpoint=${encodeURIComponent(input.endpointId)}` },
    },
  };
}

function clip(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}
