import type {
  ArticleRecord,
  ArticleSighting,
  ExtractionMethod,
  LabelEvidence,
  ReviewState,
  SanctionsDirection,
  StoredLabel,
  TraceEntry,
} from '../domain/types.js';

/** Columns of `articles` as both drivers return them (timestamptz as Date, jsonb parsed, text[] as arrays). */
export interface ArticleRow {
  id: string;
  canonical_url: string;
  title: string;
  byline: string | null;
  published_at: Date | null;
  first_seen_at: Date;
  fetched_at: Date | null;
  lang: string | null;
  text: string | null;
  html: string | null;
  summary: string;
  extraction_method: string | null;
  extraction_confidence: number | null;
  extraction_flags: string[];
  fallback_reason: string | null;
  relevance: number | null;
  framework_version: string | null;
  model_version: string | null;
  needs_review: boolean;
  trace: TraceEntry[];
  updated_at: Date;
}

export interface LabelRow {
  article_id: string;
  label_id: string;
  score: number;
  groups: string[];
  evidence: LabelEvidence[];
  features: string[] | null;
  direction: string | null;
  direction_evidence: LabelEvidence[] | null;
  source: 'classifier' | 'reviewer';
  model_version: string | null;
  review_state: ReviewState;
}

export interface SightingRow {
  article_id: string;
  feed_id: string;
  feed_name: string;
  link: string | null;
  guid: string | null;
  seen_at: Date;
}

/** Every column a record needs; `text`/`html` can be left out of lists (they are then null). */
export function articleColumns(alias: string, withContent: boolean, withHtml = withContent): string {
  const c = (name: string): string => `${alias}.${name}`;
  return [
    'id',
    'canonical_url',
    'title',
    'byline',
    'published_at',
    'first_seen_at',
    'fetched_at',
    'lang',
    'summary',
    'extraction_method',
    'extraction_confidence',
    'extraction_flags',
    'fallback_reason',
    'relevance',
    'framework_version',
    'model_version',
    'needs_review',
    'trace',
    'updated_at',
  ]
    .map(c)
    .concat(withContent ? [c('text')] : ['NULL::text AS text'], withContent && withHtml ? [c('html')] : ['NULL::text AS html'])
    .join(', ');
}

export const LABEL_COLUMNS =
  'article_id, label_id, score, groups, evidence, features, direction, direction_evidence, source, model_version, review_state';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toStoredLabel(row: LabelRow): StoredLabel {
  const label: StoredLabel = {
    id: row.label_id,
    score: row.score,
    groups: row.groups,
    evidence: row.evidence,
    review: row.review_state,
    source: row.source,
  };
  if (row.features) label.features = row.features;
  if (row.direction) label.direction = row.direction as SanctionsDirection;
  if (row.direction_evidence) label.directionEvidence = row.direction_evidence;
  return label;
}

export function toSighting(row: SightingRow): ArticleSighting {
  return { feedId: row.feed_id, feedName: row.feed_name, link: row.link, guid: row.guid, seenAt: row.seen_at.toISOString() };
}

/** Builds the API's record from its rows; labels come strongest first. */
export function toArticleRecord(row: ArticleRow, labels: LabelRow[], sightings: SightingRow[]): ArticleRecord {
  return {
    id: row.id,
    canonicalUrl: row.canonical_url,
    title: row.title,
    byline: row.byline,
    publishedAt: iso(row.published_at),
    firstSeenAt: row.first_seen_at.toISOString(),
    fetchedAt: iso(row.fetched_at),
    lang: row.lang,
    text: row.text,
    html: row.html,
    summary: row.summary,
    extraction: row.extraction_method
      ? {
          method: row.extraction_method as ExtractionMethod,
          confidence: row.extraction_confidence ?? 0,
          flags: row.extraction_flags,
          fallbackReason: row.fallback_reason,
        }
      : null,
    labels: [...labels].sort((a, b) => b.score - a.score || a.label_id.localeCompare(b.label_id)).map(toStoredLabel),
    relevance: row.relevance,
    framework: row.framework_version,
    model: row.model_version,
    sightings: [...sightings].sort((a, b) => a.seen_at.getTime() - b.seen_at.getTime()).map(toSighting),
    trace: row.trace,
    needsReview: row.needs_review,
    updatedAt: row.updated_at.toISOString(),
  };
}
