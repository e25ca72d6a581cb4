import type { ReviewState, SanctionsDirection } from '../domain/types.js';
import { decodeCursor, encodeCursor, InvalidCursorError, type PageCursor } from './cursor.js';

/** Filters and paging of `listArticles` / `streamArticles`; the API and `framewatch results` share them. */
export interface ArticleQuery {
  /** Articles carrying these labels; `labelMode` says whether any one or all of them. */
  labels?: string[];
  labelMode?: 'any' | 'all';
  /** Articles with a label in any of these groups. */
  groups?: string[];
  /** Feed ids or names the article was seen in. */
  feeds?: string[];
  /** On the article's time (published, clamped to first seen): `since` inclusive, `until` exclusive. */
  since?: Date;
  until?: Date;
  /**
   * Stored (created, or updated by the pipeline or a review) at or after this time, whatever the article's
   * own time: what `alerts replay --since` means by "stored since".
   */
  storedSince?: Date;
  /** The matching label's score is at least this. */
  minScore?: number;
  /** The matching label's review state is one of these. */
  review?: ReviewState[];
  /** The matching label's sanctions direction is one of these. */
  direction?: SanctionsDirection[];
  lang?: string[];
  /** Articles flagged for review (low extraction confidence) or not; until someone reviews them. */
  needsReview?: boolean;
  /** Articles with at least one label (true) or none (false), whatever their review state. */
  tagged?: boolean;
  /** Full-text search over title and text (web search syntax: words, "phrases", OR, -not). */
  q?: string;
  sort?: 'time' | 'score';
  cursor?: string | null;
  /** Default 100, at most 1000. */
  limit?: number;
  /** Include `text` and `html` (default true); lists for people leave them out. */
  includeContent?: boolean;
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** Collects positional parameters while a statement is built. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast = ''): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }
}

export interface PageSql {
  sql: string;
  params: unknown[];
  limit: number;
  cursorFor(row: { id: string; sort_key: string | number }): string;
}

/**
 * One page of article rows matching `query`, keyset-paged on (sort key, id) descending. Conditions on labels
 * (label, group, minScore, review, direction) hold on one and the same label row, so `label=a&minScore=0.5`
 * means "label a with a score of at least 0.5".
 */
export function buildPageSql(query: ArticleQuery, columns: string): PageSql {
  const p = new Params();
  const sort = query.sort ?? 'time';
  const limit = Math.min(Math.max(query.limit ?? DEFAULT_LIMIT, 1), MAX_LIMIT);
  const where = filterConditions(query, p);
  const labels = query.labels ?? [];

  // The score sorted by is the best among the labels the query is about (all labels when none named),
  // leaving out labels a reviewer rejected.
  let sortExpr = 'a.sort_at';
  if (sort === 'score') {
    const scoreScope = labels.length > 0 ? ` AND l.label_id = ANY(${p.add(labels, '::text[]')})` : '';
    const groupScope = query.groups?.length ? ` AND l.groups && ${p.add(query.groups, '::text[]')}` : '';
    sortExpr = `coalesce((SELECT max(l.score) FROM article_labels l WHERE l.article_id = a.id AND l.review_state <> 'rejected'${scoreScope}${groupScope}), 0)`;
  }
  const sortKey = sort === 'score' ? sortExpr : `to_char(a.sort_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

  if (query.cursor) {
    const cursor: PageCursor = decodeCursor(query.cursor);
    if (cursor.sort !== sort) throw new CursorSortMismatchError();
    const value = sort === 'score' ? p.add(cursor.value, '::float8') : p.add(cursor.value, '::timestamptz');
    where.push(`(${sortExpr}, a.id) < (${value}, ${p.add(cursor.id, '::text')})`);
  }

  const sql = `SELECT ${columns}, ${sortKey} AS sort_key FROM articles a
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${sortExpr} DESC, a.id DESC
    LIMIT ${p.add(limit + 1, '::int')}`;
  return {
    sql,
    params: p.values,
    limit,
    cursorFor: (row) => encodeCursor({ sort, value: row.sort_key, id: row.id }),
  };
}

/** How many articles match `query`'s filters (cursor and limit ignored): the total behind a progress bar. */
export function buildCountSql(query: ArticleQuery): { sql: string; params: unknown[] } {
  const p = new Params();
  const where = filterConditions(query, p);
  return { sql: `SELECT count(*)::int AS n FROM articles a ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`, params: p.values };
}

function filterConditions(query: ArticleQuery, p: Params): string[] {
  const where: string[] = [];
  const rowConds: string[] = [];
  if (query.groups?.length) rowConds.push(`l.groups && ${p.add(query.groups, '::text[]')}`);
  if (query.minScore !== undefined) rowConds.push(`l.score >= ${p.add(query.minScore, '::float8')}`);
  if (query.review?.length) rowConds.push(`l.review_state = ANY(${p.add(query.review, '::text[]')})`);
  if (query.direction?.length) rowConds.push(`l.direction = ANY(${p.add(query.direction, '::text[]')})`);
  const rowCond = rowConds.map((c) => ` AND ${c}`).join('');

  const labels = query.labels ?? [];
  if (labels.length > 0 && query.labelMode === 'all') {
    where.push(
      `(SELECT count(*) FROM article_labels l WHERE l.article_id = a.id AND l.label_id = ANY(${p.add(labels, '::text[]')})${rowCond}) = ${p.add(new Set(labels).size, '::int')}`,
    );
  } else if (labels.length > 0) {
    where.push(`EXISTS (SELECT 1 FROM article_labels l WHERE l.article_id = a.id AND l.label_id = ANY(${p.add(labels, '::text[]')})${rowCond})`);
  } else if (rowConds.length > 0) {
    where.push(`EXISTS (SELECT 1 FROM article_labels l WHERE l.article_id = a.id${rowCond})`);
  }
  // A label condition above already asks for a label; `tagged` adds one only where none did.
  if (query.tagged === true && labels.length === 0 && rowConds.length === 0) where.push('EXISTS (SELECT 1 FROM article_labels l WHERE l.article_id = a.id)');
  if (query.tagged === false) where.push('NOT EXISTS (SELECT 1 FROM article_labels l WHERE l.article_id = a.id)');
  if (query.feeds?.length) {
    const feeds = p.add(query.feeds, '::text[]');
    where.push(`EXISTS (SELECT 1 FROM article_sightings s WHERE s.article_id = a.id AND (s.feed_id = ANY(${feeds}) OR s.feed_name = ANY(${feeds})))`);
  }
  if (query.since) where.push(`a.sort_at >= ${p.add(query.since, '::timestamptz')}`);
  if (query.until) where.push(`a.sort_at < ${p.add(query.until, '::timestamptz')}`);
  if (query.storedSince) where.push(`a.updated_at >= ${p.add(query.storedSince, '::timestamptz')}`);
  if (query.lang?.length) where.push(`a.lang = ANY(${p.add(query.lang, '::text[]')})`);
  if (query.needsReview !== undefined) where.push(`a.needs_review = ${p.add(query.needsReview, '::boolean')}`);
  if (query.q?.trim()) where.push(`a.search @@ websearch_to_tsquery('english', ${p.add(query.q.trim(), '::text')})`);
  return where;
}

/** A cursor from a page sorted differently: the client changed `sort` without dropping `cursor`. */
export class CursorSortMismatchError extends InvalidCursorError {
  constructor() {
    super('cursor belongs to a different sort');
    this.name = 'CursorSortMismatchError';
  }
}
