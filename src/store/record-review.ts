import type { Db } from './db.js';
import { pgText } from './pg-text.js';

export type Verdict = 'confirm' | 'reject' | 'add';

/** One reviewer's judgement on one label of one article. */
export interface LabelVerdict {
  label: string;
  verdict: Verdict;
  /** For `add`: the label's groups in the framework (an added label needs no evidence). */
  groups?: string[];
}

export interface ReviewInput {
  articleId: string;
  verdicts: LabelVerdict[];
  note?: string | null;
  reviewer?: string | null;
}

/** A verdict as stored, with when and by whom. */
export interface StoredVerdict {
  id: string;
  articleId: string;
  label: string;
  verdict: Verdict;
  note: string | null;
  reviewer: string | null;
  /** The model that produced the label when it was judged; null for a label a reviewer added. */
  model: string | null;
  at: string;
}

/** A confirm or reject of a label the article does not carry; `index` is the verdict's position. */
export class ReviewError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
    this.name = 'ReviewError';
  }
}

/**
 * The position of the first verdict that contradicts an earlier one of the same review (a label both
 * confirmed or added, and rejected), or null. Which verdict would win is not for the store to guess.
 */
export function contradictoryVerdict(verdicts: LabelVerdict[]): number | null {
  const accepted = new Set<string>();
  const rejected = new Set<string>();
  for (const [index, v] of verdicts.entries()) {
    const isReject = v.verdict === 'reject';
    if ((isReject ? accepted : rejected).has(v.label)) return index;
    (isReject ? rejected : accepted).add(v.label);
  }
  return null;
}

/**
 * Stores the verdicts and moves each label's review state: confirm and add make it `confirmed`, reject makes
 * it `rejected`; an added label is created with score 1 and no evidence. Returns false for an unknown article.
 */
export async function recordReviewTx(tx: Db, input: ReviewInput, now: Date): Promise<boolean> {
  const contradiction = contradictoryVerdict(input.verdicts);
  if (contradiction !== null) {
    const label = input.verdicts[contradiction]?.label ?? '';
    throw new ReviewError(`"${label}" is both accepted (confirm or add) and rejected in one review`, contradiction);
  }
  const found = await tx.query('SELECT 1 FROM articles WHERE id = $1 FOR UPDATE', [input.articleId]);
  if (found.rowCount === 0) return false;
  for (const [index, v] of input.verdicts.entries()) {
    const current = await tx.query<{ source: string; model_version: string | null }>(
      'SELECT source, model_version FROM article_labels WHERE article_id = $1 AND label_id = $2',
      [input.articleId, v.label],
    );
    const label = current.rows[0];
    if (!label && v.verdict !== 'add') {
      throw new ReviewError(`article has no label "${v.label}" to ${v.verdict} (use "add")`, index);
    }
    if (!label) {
      await tx.query(
        `INSERT INTO article_labels (article_id, label_id, score, groups, evidence, source, review_state, updated_at)
         VALUES ($1, $2, 1, $3::text[], '[]'::jsonb, 'reviewer', 'confirmed', $4)`,
        [input.articleId, v.label, v.groups ?? [], now],
      );
    } else {
      await tx.query('UPDATE article_labels SET review_state = $3, updated_at = $4 WHERE article_id = $1 AND label_id = $2', [
        input.articleId,
        v.label,
        v.verdict === 'reject' ? 'rejected' : 'confirmed',
        now,
      ]);
    }
    // Adding a label the article already carries is agreeing with it: stored as a confirm, so it counts
    // towards the classifier's precision like one.
    const verdict: Verdict = label && v.verdict === 'add' ? 'confirm' : v.verdict;
    await tx.query(
      `INSERT INTO review_verdicts (article_id, label_id, verdict, note, reviewer, model_version, label_source, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [input.articleId, v.label, verdict, pgText(input.note ?? null), pgText(input.reviewer ?? null), label?.model_version ?? null, label?.source ?? 'reviewer', now],
    );
  }
  // Someone looked at it: it leaves the review list.
  await tx.query('UPDATE articles SET needs_review = false, updated_at = $2 WHERE id = $1', [input.articleId, now]);
  return true;
}

interface VerdictRow {
  id: string | number;
  article_id: string;
  label_id: string;
  verdict: Verdict;
  note: string | null;
  reviewer: string | null;
  model_version: string | null;
  at: Date;
}

export const VERDICT_COLUMNS = 'id::text AS id, article_id, label_id, verdict, note, reviewer, model_version, at';

export function toStoredVerdict(row: VerdictRow): StoredVerdict {
  return {
    id: String(row.id),
    articleId: row.article_id,
    label: row.label_id,
    verdict: row.verdict,
    note: row.note,
    reviewer: row.reviewer,
    model: row.model_version,
    at: row.at.toISOString(),
  };
}

export type { VerdictRow };
