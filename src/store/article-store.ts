import type { ArticleReader, ClassificationWriter, VerdictReader } from '../domain/stored-articles.js';
import { systemClock, type ArticleRecord, type ArticleWork, type Classification, type Clock, type TraceEntry } from '../domain/types.js';
import { buildCountSql, buildPageSql, type ArticleQuery } from './article-query.js';
import { articleColumns, LABEL_COLUMNS, toArticleRecord, type ArticleRow, type LabelRow, type SightingRow } from './article-rows.js';
import { articleStats, type ArticleStats, type StatsQuery } from './article-stats.js';
import type { Db } from './db.js';
import { recordReviewTx, toStoredVerdict, VERDICT_COLUMNS, type ReviewInput, type StoredVerdict, type VerdictRow } from './record-review.js';
import { pgJson } from './pg-text.js';
import { labelRevision } from './label-revision.js';
import { recordHistory, saveArticleTx, writeClassifierLabels, type SaveResult, type StageTraceEntry } from './save-article.js';

/** A stored article with its review verdicts and earlier classifications (`GET /api/articles/:id`). */
export interface ArticleDetail extends ArticleRecord {
  reviews: StoredVerdict[];
  history: { labels: unknown[]; relevance: number | null; framework: string | null; model: string | null; reason: string; replacedAt: string }[];
}

/** Rows cleared per statement, so retention never holds long locks on a big table. */
const RETENTION_BATCH = 1000;
const STREAM_PAGE = 250;

/**
 * The reviewed record of every article in PostgreSQL (server or embedded): written by the store stage,
 * read by the API, exports and backtests, corrected by reviewers.
 */
export class ArticleStore implements ArticleReader, ClassificationWriter, VerdictReader {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Idempotent upsert of the pipeline's working document. Without `extracted`/`classification` the stored
   * extraction and labels stay as they were. Each feed the article was seen in is one sighting.
   */
  saveArticle(work: ArticleWork, stageEntry?: StageTraceEntry): Promise<SaveResult> {
    return this.db.transaction((tx) => saveArticleTx(tx, work, this.clock.now(), stageEntry));
  }

  /**
   * Several saves in one transaction (one commit), each as {@link saveArticle}; results in the order given.
   * Rows are locked in id order, so two batches sharing articles cannot deadlock each other.
   */
  saveArticles(saves: { work: ArticleWork; stageEntry?: StageTraceEntry }[]): Promise<SaveResult[]> {
    const order = saves.map((_, i) => i).sort((a, b) => compareIds(saves[a]?.work.id ?? '', saves[b]?.work.id ?? '') || a - b);
    return this.db.transaction(async (tx) => {
      const now = this.clock.now();
      const results: SaveResult[] = new Array<SaveResult>(saves.length);
      for (const i of order) {
        const save = saves[i];
        if (save) results[i] = await saveArticleTx(tx, save.work, now, save.stageEntry);
      }
      return results;
    });
  }

  /** Adds one step to the stored trace (the store stage's own entry). */
  async appendTrace(id: string, entry: TraceEntry): Promise<void> {
    await this.db.query(`UPDATE articles SET trace = trace || $2::text::jsonb WHERE id = $1`, [id, pgJson([entry])]);
  }

  /**
   * One query, the article's label and sighting rows aggregated as JSON beside it: the alert stage reads
   * one record per article, and three round trips each were most of its database time (issue 20). Pages
   * of many rows use {@link attach} instead.
   */
  async getArticle(id: string, options: { html?: boolean } = {}): Promise<ArticleRecord | null> {
    const { rows } = await this.db.query<ArticleRow & { labels_json: unknown; sightings_json: unknown }>(
      `SELECT ${articleColumns('a', true, options.html ?? true)},
         COALESCE((SELECT json_agg(l) FROM (SELECT ${LABEL_COLUMNS} FROM article_labels WHERE article_id = a.id) l), '[]') AS labels_json,
         COALESCE((SELECT json_agg(s ORDER BY s.seen_at, s.feed_id) FROM (SELECT article_id, feed_id, feed_name, link, guid, seen_at FROM article_sightings WHERE article_id = a.id) s), '[]') AS sightings_json
       FROM articles a WHERE a.id = $1`,
      [id],
    );
    const found = rows[0];
    if (!found) return null;
    const { labels_json, sightings_json, ...row } = found;
    const sightings = jsonRows<Omit<SightingRow, 'seen_at'> & { seen_at: string }>(sightings_json).map((r) => ({ ...r, seen_at: new Date(r.seen_at) }));
    return toArticleRecord(row, jsonRows<LabelRow>(labels_json), sightings);
  }

  /** The record with its verdicts and classification history. */
  async getArticleDetail(id: string): Promise<ArticleDetail | null> {
    const record = await this.getArticle(id);
    if (!record) return null;
    const [verdicts, history] = await Promise.all([
      this.db.query<VerdictRow>(`SELECT ${VERDICT_COLUMNS} FROM review_verdicts WHERE article_id = $1 ORDER BY at, id`, [id]),
      this.db.query<{ labels: unknown[]; relevance: number | null; framework_version: string | null; model_version: string | null; reason: string; replaced_at: Date }>(
        'SELECT labels, relevance, framework_version, model_version, reason, replaced_at FROM classification_history WHERE article_id = $1 ORDER BY replaced_at, id',
        [id],
      ),
    ]);
    return {
      ...record,
      reviews: verdicts.rows.map(toStoredVerdict),
      history: history.rows.map((h) => ({
        labels: h.labels,
        relevance: h.relevance,
        framework: h.framework_version,
        model: h.model_version,
        reason: h.reason,
        replacedAt: h.replaced_at.toISOString(),
      })),
    };
  }

  /** One page of matching articles, newest (or best-scoring) first; `nextCursor` is null on the last page. */
  async listArticles(query: ArticleQuery): Promise<{ items: ArticleRecord[]; nextCursor: string | null }> {
    const page = buildPageSql(query, articleColumns('a', query.includeContent ?? true));
    const { rows } = await this.db.query<ArticleRow & { sort_key: string | number }>(page.sql, page.params);
    const pageRows = rows.slice(0, page.limit);
    const last = pageRows[pageRows.length - 1];
    const nextCursor = rows.length > page.limit && last ? page.cursorFor(last) : null;
    return { items: await this.attach(pageRows), nextCursor };
  }

  /** Every matching article, page by page in constant memory (exports, backtests); `limit` is ignored. */
  async *streamArticles(query: ArticleQuery): AsyncIterable<ArticleRecord> {
    let cursor: string | null = query.cursor ?? null;
    do {
      const page = await this.listArticles({ ...query, cursor, limit: STREAM_PAGE });
      yield* page.items;
      cursor = page.nextCursor;
    } while (cursor);
  }

  async countArticles(query: ArticleQuery): Promise<number> {
    const { sql, params } = buildCountSql(query);
    const { rows } = await this.db.query<{ n: number }>(sql, params);
    return rows[0]?.n ?? 0;
  }

  /** Stores verdicts; returns the updated record, or null for an unknown article. Throws ReviewError. */
  async recordReview(input: ReviewInput): Promise<ArticleRecord | null> {
    const found = await this.db.transaction((tx) => recordReviewTx(tx, input, this.clock.now()));
    return found ? this.getArticle(input.articleId) : null;
  }

  /** The latest verdict per (article, label): what `train --include-reviews` learns from. */
  async latestVerdicts(options: { since?: Date } = {}): Promise<StoredVerdict[]> {
    const { rows } = await this.db.query<VerdictRow>(
      `SELECT * FROM (SELECT DISTINCT ON (article_id, label_id) ${VERDICT_COLUMNS} FROM review_verdicts
         WHERE ($1::timestamptz IS NULL OR at >= $1::timestamptz) ORDER BY article_id, label_id, at DESC, id DESC) v
       ORDER BY at, id`,
      [options.since ?? null],
    );
    return rows.map(toStoredVerdict);
  }

  stats(query: StatsQuery = {}): Promise<ArticleStats> {
    return articleStats(this.db, query);
  }

  /**
   * Replaces the classifier's labels (backtest --apply, retrain), keeping the previous ones in the history
   * with `reason`. Null for an unknown article.
   */
  async replaceClassification(id: string, classification: Classification, reason: string): Promise<{ labelsChanged: boolean; revision: string } | null> {
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      const old = await tx.query<{ revision: string | null }>('SELECT revision FROM articles WHERE id = $1 FOR UPDATE', [id]);
      const row = old.rows[0];
      if (!row) return null;
      const revision = labelRevision(classification.labels);
      await recordHistory(tx, id, reason, now);
      await writeClassifierLabels(tx, id, classification, now);
      await tx.query(
        'UPDATE articles SET relevance = $2, framework_version = $3, model_version = $4, revision = $5, updated_at = $6 WHERE id = $1',
        [id, classification.relevance, classification.framework, classification.model, revision, now],
      );
      return { labelsChanged: revision !== row.revision, revision };
    });
  }

  /** Drops text and HTML of articles first seen before `olderThan`; labels, evidence and metadata stay. */
  async applyRetention(olderThan: Date): Promise<{ cleared: number }> {
    let cleared = 0;
    for (;;) {
      const { rowCount } = await this.db.query(
        `UPDATE articles SET text = NULL, html = NULL, text_dropped_at = $2
         WHERE id IN (SELECT id FROM articles WHERE first_seen_at < $1 AND (text IS NOT NULL OR html IS NOT NULL) LIMIT $3)`,
        [olderThan, this.clock.now(), RETENTION_BATCH],
      );
      cleared += rowCount;
      if (rowCount < RETENTION_BATCH) return { cleared };
    }
  }

  /** Loads labels and sightings of a page of rows in two queries, keeping the rows' order. */
  private async attach(rows: ArticleRow[]): Promise<ArticleRecord[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [labels, sightings] = await Promise.all([
      this.db.query<LabelRow>(`SELECT ${LABEL_COLUMNS} FROM article_labels WHERE article_id = ANY($1::text[])`, [ids]),
      this.db.query<SightingRow>('SELECT article_id, feed_id, feed_name, link, guid, seen_at FROM article_sightings WHERE article_id = ANY($1::text[])', [ids]),
    ]);
    const labelsOf = groupBy(labels.rows, (r) => r.article_id);
    const sightingsOf = groupBy(sightings.rows, (r) => r.article_id);
    return rows.map((row) => toArticleRecord(row, labelsOf.get(row.id) ?? [], sightingsOf.get(row.id) ?? []));
  }
}

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A `json` column as rows: the pg driver parses json itself; a driver that hands back text is parsed here. */
function jsonRows<T>(value: unknown): T[] {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T[];
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

export type { ArticleQuery } from './article-query.js';
export type { ArticleStats, StatsQuery } from './article-stats.js';
export type { ReviewInput, StoredVerdict, LabelVerdict, Verdict } from './record-review.js';
export type { SaveResult, StageTraceEntry } from './save-article.js';
