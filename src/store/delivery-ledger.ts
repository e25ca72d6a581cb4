import type { Db } from './db.js';

export type MatchKind = 'article' | 'feed-health' | 'digest';
/** sent | updated (article.updated sent) | duplicate (suppressed) | throttled | digested (waiting for its digest). */
export type MatchOutcome = 'sent' | 'updated' | 'duplicate' | 'throttled' | 'digested';

/** What one rule did with one event: the memory behind one-alert-per-story, throttles and digests. */
export interface AlertMatch {
  ruleId: string;
  eventKey: string;
  kind: MatchKind;
  articleId: string | null;
  outcome: MatchOutcome;
  storyOf: string | null;
  fingerprint: number[] | null;
  summary: unknown;
  digestWindow: string | null;
  matchedAt: string;
}

/** A decision as the alert stage records it (times as Dates). */
export type NewAlertMatch = Omit<AlertMatch, 'matchedAt' | 'digestWindow'> & { matchedAt: Date; digestWindow: Date | null };

/** An earlier article of a rule that a new one may be a copy of. */
export interface StoryCandidate {
  articleId: string;
  outcome: MatchOutcome;
  storyOf: string | null;
  fingerprint: number[];
}

interface Row {
  rule_id: string;
  event_key: string;
  kind: MatchKind;
  article_id: string | null;
  outcome: MatchOutcome;
  story_of: string | null;
  fingerprint: number[] | null;
  summary: unknown;
  digest_window: Date | null;
  matched_at: Date;
}

const COLUMNS = 'rule_id, event_key, kind, article_id, outcome, story_of, fingerprint, summary, digest_window, matched_at';

/**
 * The alert ledger (`alert_matches`). Callers hold the rule's lock (`lockRule`) inside one transaction so
 * that two workers deciding about two copies of one story at once decide one after the other: construct
 * it on the transaction's Db (see pgAlertStorage).
 */
export class AlertLedger {
  constructor(private readonly db: Db) {}

  /** A transaction-scoped advisory lock per rule; released at commit. */
  async lockRule(ruleId: string): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`framewatch-alert-rule:${ruleId}`]);
  }

  async get(ruleId: string, eventKey: string): Promise<AlertMatch | null> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM alert_matches WHERE rule_id = $1 AND event_key = $2`, [ruleId, eventKey]);
    return rows[0] ? toMatch(rows[0]) : null;
  }

  async insert(m: NewAlertMatch): Promise<void> {
    await this.db.query(
      `INSERT INTO alert_matches (rule_id, event_key, kind, article_id, outcome, story_of, fingerprint, summary, digest_window, matched_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::integer[], $8::text::jsonb, $9, $10) ON CONFLICT (rule_id, event_key) DO NOTHING`,
      [m.ruleId, m.eventKey, m.kind, m.articleId, m.outcome, m.storyOf, m.fingerprint, m.summary === undefined ? null : JSON.stringify(m.summary), m.digestWindow, m.matchedAt],
    );
  }

  /** Articles of the rule since `since` that carry a fingerprint: the stories a new article may belong to. */
  async recentStories(ruleId: string, since: Date): Promise<StoryCandidate[]> {
    // Only what the comparison needs: a busy rule has hundreds of candidates, and summaries are large.
    const { rows } = await this.db.query<{ article_id: string; outcome: MatchOutcome; story_of: string | null; fingerprint: number[] }>(
      `SELECT article_id, outcome, story_of, fingerprint FROM alert_matches
        WHERE rule_id = $1 AND kind = 'article' AND matched_at >= $2 AND fingerprint IS NOT NULL ORDER BY matched_at`,
      [ruleId, since],
    );
    return rows.map((r) => ({ articleId: r.article_id, outcome: r.outcome, storyOf: r.story_of, fingerprint: r.fingerprint }));
  }

  /** Every article of one story (its first article and the copies found since). */
  async storyMembers(ruleId: string, storyOf: string): Promise<AlertMatch[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM alert_matches WHERE rule_id = $1 AND kind = 'article' AND (article_id = $2 OR story_of = $2) ORDER BY matched_at, event_key`,
      [ruleId, storyOf],
    );
    return rows.map(toMatch);
  }

  /** Alerts the rule actually sent since `since` (what a throttle counts). */
  async countSent(ruleId: string, since: Date): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM alert_matches WHERE rule_id = $1 AND outcome = 'sent' AND kind <> 'digest' AND matched_at >= $2`, [
      ruleId,
      since,
    ]);
    return rows[0]?.n ?? 0;
  }

  /** The matches waiting for one digest window. */
  async digestItems(ruleId: string, window: Date): Promise<AlertMatch[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM alert_matches WHERE rule_id = $1 AND digest_window = $2 AND outcome = 'digested' ORDER BY matched_at, event_key`,
      [ruleId, window],
    );
    return rows.map(toMatch);
  }

  /** Every match of a rule, newest first (CLI, tests). */
  async listForRule(ruleId: string, limit = 100): Promise<AlertMatch[]> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM alert_matches WHERE rule_id = $1 ORDER BY matched_at DESC, event_key LIMIT $2`, [ruleId, limit]);
    return rows.map(toMatch);
  }
}

function toMatch(r: Row): AlertMatch {
  return {
    ruleId: r.rule_id,
    eventKey: r.event_key,
    kind: r.kind,
    articleId: r.article_id,
    outcome: r.outcome,
    storyOf: r.story_of,
    fingerprint: r.fingerprint,
    summary: r.summary,
    digestWindow: r.digest_window?.toISOString() ?? null,
    matchedAt: r.matched_at.toISOString(),
  };
}
