import type { Db } from './db.js';

export interface StatsQuery {
  /** On the article's time, as the list filters: `since` inclusive, `until` exclusive. */
  since?: Date;
  until?: Date;
}

/** Label agreement of reviewers with the classifier for one model version. */
export interface LabelAgreement {
  label: string;
  model: string | null;
  confirmed: number;
  rejected: number;
  /** confirmed / (confirmed + rejected): the classifier's precision as reviewers measured it; null with no verdicts. */
  precision: number | null;
}

export interface ArticleStats {
  since: string | null;
  until: string | null;
  articles: number;
  /** Per UTC day: articles, and articles per label and per group (labels a reviewer rejected not counted). */
  days: { day: string; articles: number; labels: Record<string, number>; groups: Record<string, number> }[];
  /** Per label over the range: articles carrying it, and how many of those labels were reviewed. */
  labels: { label: string; articles: number; reviewed: number; confirmed: number; rejected: number; added: number }[];
  /** Share of the classifier's labels (on articles in range) that a reviewer confirmed or rejected; null without any. */
  reviewedShare: number | null;
  /** Share of articles in range with at least one verdict; null without articles. */
  reviewedArticleShare: number | null;
  /** Per label and model version, from each label's latest verdict on classifier-made labels. */
  agreement: LabelAgreement[];
}

function rangeSql(query: StatsQuery, params: unknown[]): string {
  const conds: string[] = [];
  if (query.since) {
    params.push(query.since);
    conds.push(`a.sort_at >= $${params.length}::timestamptz`);
  }
  if (query.until) {
    params.push(query.until);
    conds.push(`a.sort_at < $${params.length}::timestamptz`);
  }
  return conds.length ? conds.join(' AND ') : 'true';
}

const DAY = `to_char(a.sort_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;

/** Counts for `/api/stats`; every figure comes from one SQL aggregate over the range. */
export async function articleStats(db: Db, query: StatsQuery): Promise<ArticleStats> {
  const params: unknown[] = [];
  const range = rangeSql(query, params);
  const [perDay, perDayLabel, perDayGroup, perLabel, agreement, reviewed] = await Promise.all([
    db.query<{ day: string; n: number }>(`SELECT ${DAY} AS day, count(*)::int AS n FROM articles a WHERE ${range} GROUP BY 1 ORDER BY 1`, params),
    db.query<{ day: string; key: string; n: number }>(
      `SELECT ${DAY} AS day, l.label_id AS key, count(*)::int AS n FROM articles a JOIN article_labels l ON l.article_id = a.id
       WHERE ${range} AND l.review_state <> 'rejected' GROUP BY 1, 2`,
      params,
    ),
    db.query<{ day: string; key: string; n: number }>(
      `SELECT ${DAY} AS day, g.grp AS key, count(DISTINCT a.id)::int AS n
       FROM articles a JOIN article_labels l ON l.article_id = a.id CROSS JOIN LATERAL unnest(l.groups) AS g(grp)
       WHERE ${range} AND l.review_state <> 'rejected' GROUP BY 1, 2`,
      params,
    ),
    db.query<{ label: string; articles: number; reviewed: number; confirmed: number; rejected: number; added: number; classified: number; classified_reviewed: number }>(
      `SELECT l.label_id AS label, count(*)::int AS articles,
              count(*) FILTER (WHERE l.review_state <> 'unreviewed')::int AS reviewed,
              count(*) FILTER (WHERE l.review_state = 'confirmed')::int AS confirmed,
              count(*) FILTER (WHERE l.review_state = 'rejected')::int AS rejected,
              count(*) FILTER (WHERE l.source = 'reviewer')::int AS added,
              count(*) FILTER (WHERE l.source = 'classifier')::int AS classified,
              count(*) FILTER (WHERE l.source = 'classifier' AND l.review_state <> 'unreviewed')::int AS classified_reviewed
       FROM articles a JOIN article_labels l ON l.article_id = a.id WHERE ${range} GROUP BY 1 ORDER BY 1`,
      params,
    ),
    db.query<{ label: string; model: string | null; confirmed: number; rejected: number }>(
      `WITH latest AS (
         SELECT DISTINCT ON (v.article_id, v.label_id) v.label_id, v.verdict, v.model_version, v.label_source
         FROM review_verdicts v JOIN articles a ON a.id = v.article_id
         WHERE ${range}
         ORDER BY v.article_id, v.label_id, v.at DESC, v.id DESC)
       SELECT label_id AS label, model_version AS model,
              count(*) FILTER (WHERE verdict = 'confirm')::int AS confirmed,
              count(*) FILTER (WHERE verdict = 'reject')::int AS rejected
       FROM latest WHERE label_source = 'classifier' AND verdict IN ('confirm', 'reject')
       GROUP BY 1, 2 ORDER BY 1, 2`,
      params,
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM articles a WHERE ${range} AND EXISTS (SELECT 1 FROM review_verdicts v WHERE v.article_id = a.id)`, params),
  ]);

  const days = new Map<string, ArticleStats['days'][number]>();
  for (const r of perDay.rows) days.set(r.day, { day: r.day, articles: r.n, labels: {}, groups: {} });
  for (const r of perDayLabel.rows) {
    const d = days.get(r.day);
    if (d) d.labels[r.key] = r.n;
  }
  for (const r of perDayGroup.rows) {
    const d = days.get(r.day);
    if (d) d.groups[r.key] = r.n;
  }
  const classified = perLabel.rows.reduce((n, r) => n + r.classified, 0);
  const classifiedReviewed = perLabel.rows.reduce((n, r) => n + r.classified_reviewed, 0);
  const articles = perDay.rows.reduce((n, r) => n + r.n, 0);
  return {
    since: query.since?.toISOString() ?? null,
    until: query.until?.toISOString() ?? null,
    articles,
    days: [...days.values()],
    labels: perLabel.rows.map(({ classified: _c, classified_reviewed: _r, ...rest }) => rest),
    reviewedShare: classified > 0 ? classifiedReviewed / classified : null,
    reviewedArticleShare: articles > 0 ? (reviewed.rows[0]?.n ?? 0) / articles : null,
    agreement: agreement.rows.map((r) => ({ ...r, precision: r.confirmed + r.rejected > 0 ? r.confirmed / (r.confirmed + r.rejected) : null })),
  };
}
