import type { AppliedLabel, ArticleWork, Classification, TraceEntry } from '../domain/types.js';
import type { Db } from './db.js';
import { pgJson, pgText } from './pg-text.js';
import { labelRevision } from './label-revision.js';

/** What `saveArticle` reports: whether the article is new, whether its labels changed, and their revision. */
export interface SaveResult {
  created: boolean;
  labelsChanged: boolean;
  revision: string;
}

/** The trace entry of the stage saving the article, given what the save did. */
export type StageTraceEntry = (outcome: { created: boolean; labelsChanged: boolean }) => TraceEntry;

/** Extraction flags that put an article on the review list. */
const REVIEW_FLAGS = new Set(['low-confidence']);

/** Published time clamped to first-seen: a feed's future date must not pin an article to the top. */
function sortTime(publishedAt: string | null, firstSeenAt: string): Date {
  const seen = new Date(firstSeenAt);
  const published = publishedAt ? new Date(publishedAt) : null;
  return published && !Number.isNaN(published.getTime()) && published < seen ? published : seen;
}

function validDate(text: string | null | undefined): string | null {
  return text && !Number.isNaN(Date.parse(text)) ? text : null;
}

/**
 * The upsert behind `ArticleStore.saveArticle`, run inside one transaction: the article row, its
 * sightings, and (when the work carries a classification) its classifier labels, keeping the replaced
 * labels in `classification_history` when they change.
 */
export async function saveArticleTx(tx: Db, work: ArticleWork, now: Date, stageEntry?: StageTraceEntry): Promise<SaveResult> {
  const old = await tx.query<{ revision: string | null }>('SELECT revision FROM articles WHERE id = $1 FOR UPDATE', [work.id]);
  const oldRevision = old.rows[0]?.revision ?? null;
  const ex = work.extracted ?? null;
  const cls = work.classification ?? null;
  const revision = cls ? labelRevision(cls.labels) : (oldRevision ?? labelRevision([]));
  const labelsChanged = cls !== null && revision !== oldRevision;
  // The caller's own trace entry goes in with the row: one for a new row, one for an update (which of the
  // two applies is only known when the row is written).
  const traceIf = (created: boolean) => pgJson(stageEntry ? [...work.trace, stageEntry({ created, labelsChanged })] : work.trace);
  // A date the feed could not give (flagged) yields to the page's own date.
  const published = validDate(work.item.dateFlagged ? (ex?.publishedAt ?? work.item.publishedAt) : (work.item.publishedAt ?? ex?.publishedAt));
  const fetchedAt = [...work.trace].reverse().find((t) => t.stage === 'extract')?.at ?? now.toISOString();

  const upsert = await tx.query<{ created: boolean }>(
    `INSERT INTO articles (id, canonical_url, title, byline, published_at, first_seen_at, sort_at, fetched_at, lang, text, html,
       summary, extraction_method, extraction_confidence, extraction_flags, fallback_reason, needs_review, trace,
       relevance, framework_version, model_version, revision, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::text[], $16, $17, $18::text::jsonb,
       $19, $20, $21, $22, $23)
     ON CONFLICT (id) DO UPDATE SET
       canonical_url = EXCLUDED.canonical_url,
       title = EXCLUDED.title,
       byline = coalesce(EXCLUDED.byline, articles.byline),
       published_at = coalesce(EXCLUDED.published_at, articles.published_at),
       first_seen_at = least(articles.first_seen_at, EXCLUDED.first_seen_at),
       summary = EXCLUDED.summary,
       fetched_at = CASE WHEN $24 THEN EXCLUDED.fetched_at ELSE articles.fetched_at END,
       lang = CASE WHEN $24 THEN EXCLUDED.lang ELSE articles.lang END,
       text = CASE WHEN $24 THEN EXCLUDED.text ELSE articles.text END,
       html = CASE WHEN $24 THEN EXCLUDED.html ELSE articles.html END,
       text_dropped_at = CASE WHEN $24 THEN NULL ELSE articles.text_dropped_at END,
       extraction_method = CASE WHEN $24 THEN EXCLUDED.extraction_method ELSE articles.extraction_method END,
       extraction_confidence = CASE WHEN $24 THEN EXCLUDED.extraction_confidence ELSE articles.extraction_confidence END,
       extraction_flags = CASE WHEN $24 THEN EXCLUDED.extraction_flags ELSE articles.extraction_flags END,
       fallback_reason = CASE WHEN $24 THEN EXCLUDED.fallback_reason ELSE articles.fallback_reason END,
       needs_review = CASE WHEN $24 THEN EXCLUDED.needs_review ELSE articles.needs_review END,
       relevance = CASE WHEN $25 THEN EXCLUDED.relevance ELSE articles.relevance END,
       framework_version = CASE WHEN $25 THEN EXCLUDED.framework_version ELSE articles.framework_version END,
       model_version = CASE WHEN $25 THEN EXCLUDED.model_version ELSE articles.model_version END,
       revision = CASE WHEN $25 THEN EXCLUDED.revision ELSE articles.revision END,
       trace = $26::text::jsonb,
       updated_at = EXCLUDED.updated_at
     RETURNING (xmax = 0) AS created`,
    [
      work.id,
      work.canonicalUrl,
      pgText(work.item.title || ex?.title || ''),
      pgText(ex?.byline ?? work.item.author ?? null),
      published,
      work.firstSeenAt,
      sortTime(published, work.firstSeenAt),
      ex ? fetchedAt : null,
      // The language the classifier found in the text (tinyld plus letter and function-word checks) is what
      // `?lang=` should filter on; a page's own declaration or the extractor's guess is kept only without one.
      cls?.lang ?? ex?.lang ?? null,
      pgText(ex?.text ?? null),
      pgText(ex?.html ?? null),
      pgText(work.item.summary),
      ex?.method ?? null,
      ex?.confidence ?? null,
      ex?.flags ?? [],
      ex?.fallbackReason ?? null,
      ex ? ex.flags.some((f) => REVIEW_FLAGS.has(f)) : false,
      traceIf(true),
      cls?.relevance ?? null,
      cls?.framework ?? null,
      cls?.model ?? null,
      cls ? revision : null,
      now,
      ex !== null,
      cls !== null,
      traceIf(false),
    ],
  );

  // Every sighting in one statement. One per feed (the work store keys them by feed); were a feed there
  // twice, its earliest sighting counts, as the upsert's least() would have it.
  const byFeed = new Map<string, ArticleWork['sightings'][number]>();
  for (const s of work.sightings) {
    const seen = byFeed.get(s.feedId);
    if (!seen || s.seenAt < seen.seenAt) byFeed.set(s.feedId, s);
  }
  const sightings = [...byFeed.values()];
  if (sightings.length > 0) {
    await tx.query(
      `INSERT INTO article_sightings (article_id, feed_id, feed_name, link, guid, seen_at)
       SELECT $1, s.feed_id, s.feed_name, s.link, s.guid, s.seen_at
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[]) AS s(feed_id, feed_name, link, guid, seen_at)
       ON CONFLICT (article_id, feed_id) DO UPDATE SET
         feed_name = EXCLUDED.feed_name, link = EXCLUDED.link, guid = EXCLUDED.guid,
         seen_at = least(article_sightings.seen_at, EXCLUDED.seen_at)`,
      [
        work.id,
        sightings.map((s) => s.feedId),
        sightings.map((s) => pgText(s.feedName)),
        sightings.map((s) => pgText(s.link)),
        sightings.map((s) => pgText(s.guid)),
        sightings.map((s) => s.seenAt),
      ],
    );
  }

  if (cls) {
    if (labelsChanged && oldRevision !== null) await recordHistory(tx, work.id, 'update', now);
    await writeClassifierLabels(tx, work.id, cls, now);
  }
  return { created: upsert.rows[0]?.created ?? false, labelsChanged, revision };
}

/** Keeps the article's current classifier labels and versions before they are replaced. */
export async function recordHistory(tx: Db, articleId: string, reason: string, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO classification_history (article_id, labels, relevance, framework_version, model_version, reason, replaced_at)
     SELECT a.id,
            coalesce((SELECT jsonb_agg(jsonb_build_object('id', l.label_id, 'score', l.score, 'groups', to_jsonb(l.groups),
                        'evidence', l.evidence, 'direction', l.direction, 'model', l.model_version) ORDER BY l.label_id)
                      FROM article_labels l WHERE l.article_id = a.id AND l.source = 'classifier'), '[]'::jsonb),
            a.relevance, a.framework_version, a.model_version, $2, $3
     FROM articles a WHERE a.id = $1`,
    [articleId, reason, now],
  );
}

// How a label row already there takes a new one: the classifier's figures replace the old, but a label a
// reviewer added stays theirs when the classifier later finds it too (so it is never dropped). Shared by the
// batch write of the classifier's labels and the single upsert, so the two cannot drift apart.
const LABEL_CONFLICT = `ON CONFLICT (article_id, label_id) DO UPDATE SET
       score = EXCLUDED.score, groups = EXCLUDED.groups, evidence = EXCLUDED.evidence, features = EXCLUDED.features,
       direction = EXCLUDED.direction, direction_evidence = EXCLUDED.direction_evidence,
       source = CASE WHEN article_labels.source = 'reviewer' THEN 'reviewer' ELSE EXCLUDED.source END,
       model_version = EXCLUDED.model_version, updated_at = EXCLUDED.updated_at`;

/**
 * Replaces the classifier's labels with `cls`: labels it no longer gives go, the others are upserted.
 * Reviewer-added labels and every label's review state stay.
 */
export async function writeClassifierLabels(tx: Db, articleId: string, cls: Classification, now: Date): Promise<void> {
  // One statement: the classifier's labels it no longer gives go, the others are upserted from one JSON
  // array (a label listed twice counts once, the last as a label-by-label upsert would leave it).
  const labels = [...new Map(cls.labels.map((l) => [l.id, l])).values()];
  await tx.query(
    `WITH gone AS (
       DELETE FROM article_labels WHERE article_id = $1 AND source = 'classifier' AND NOT (label_id = ANY($2::text[]))
     )
     INSERT INTO article_labels (article_id, label_id, score, groups, evidence, features, direction, direction_evidence,
       source, model_version, updated_at)
     SELECT $1, l.id, l.score, l.groups, l.evidence, l.features, l.direction, l."directionEvidence", 'classifier', $4, $5
       FROM jsonb_to_recordset($3::text::jsonb) AS l(id text, score double precision, groups text[], evidence jsonb, features text[],
         direction text, "directionEvidence" jsonb)
     ${LABEL_CONFLICT}`,
    [
      articleId,
      labels.map((l) => l.id),
      pgJson(labels.map((l) => ({ id: l.id, score: l.score, groups: l.groups, evidence: l.evidence, features: l.features ?? null, direction: l.direction ?? null, directionEvidence: l.directionEvidence ?? null }))),
      cls.model,
      now,
    ],
  );
}

export async function upsertLabel(
  tx: Db,
  articleId: string,
  label: AppliedLabel,
  source: 'classifier' | 'reviewer',
  model: string | null,
  now: Date,
): Promise<void> {
  await tx.query(
    `INSERT INTO article_labels (article_id, label_id, score, groups, evidence, features, direction, direction_evidence,
       source, model_version, updated_at)
     VALUES ($1, $2, $3, $4::text[], $5::text::jsonb, $6::text[], $7, $8::text::jsonb, $9, $10, $11)
     ${LABEL_CONFLICT}`,
    [
      articleId,
      label.id,
      label.score,
      label.groups,
      pgJson(label.evidence),
      label.features ?? null,
      label.direction ?? null,
      label.directionEvidence ? pgJson(label.directionEvidence) : null,
      source,
      model,
      now,
    ],
  );
}
