import type { Db } from './db.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'dead' | 'cancelled';
export type AttemptOutcome = 'delivered' | 'failed' | 'later' | 'gone' | 'refused';

/** A delivery as the alert stage creates it. */
export interface NewDelivery {
  id: string;
  endpointId: string;
  ruleId: string | null;
  eventType: string;
  eventKey: string;
  articleId: string | null;
  /** The exact JSON body every attempt signs and sends (rendered for Slack/Discord at send time). */
  body: string;
}

/** One webhook event for one endpoint, as stored. */
export interface Delivery extends NewDelivery {
  status: DeliveryStatus;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  replays: number;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
}

/** One request sent (or refused before sending) for a delivery. */
export interface DeliveryAttempt {
  attempt: number;
  at: string;
  webhookTimestamp: number;
  statusCode: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
  outcome: AttemptOutcome;
}

export interface DeliveryQuery {
  endpoint?: string;
  status?: DeliveryStatus[];
  since?: Date;
  /** Default 100, at most 1000. */
  limit?: number;
  /** The `id` of the last row of the previous page (rows come newest first). */
  before?: { createdAt: string; id: string } | null;
}

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  rule_id: string | null;
  event_type: string;
  event_key: string;
  article_id: string | null;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  replays: number;
  created_at: Date;
  updated_at: Date;
  delivered_at: Date | null;
}

const COLUMNS =
  'id, endpoint_id, rule_id, event_type, event_key, article_id, body, status, attempts, last_status, last_error, replays, created_at, updated_at, delivered_at';

/** The first 1 KB of a response is kept with each attempt (enough to see a receiver's error message). */
export const RESPONSE_EXCERPT_BYTES = 1024;

/**
 * Deliveries and their attempts in PostgreSQL. A delivery's id comes from (endpoint, event), so `create`
 * is idempotent: the same event evaluated twice finds its row and never makes a second.
 */
export class DeliveryStore {
  constructor(private readonly db: Db) {}

  /** Inserts the deliveries not stored yet; returns the ids of all given deliveries still pending. */
  async create(rows: NewDelivery[], at: Date): Promise<string[]> {
    if (rows.length === 0) return [];
    for (const r of rows) {
      await this.db.query(
        `INSERT INTO deliveries (id, endpoint_id, rule_id, event_type, event_key, article_id, body, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $8) ON CONFLICT (id) DO NOTHING`,
        [r.id, r.endpointId, r.ruleId, r.eventType, r.eventKey, r.articleId, r.body, at],
      );
    }
    const { rows: pending } = await this.db.query<{ id: string }>(`SELECT id FROM deliveries WHERE id = ANY($1::text[]) AND status = 'pending' ORDER BY id`, [rows.map((r) => r.id)]);
    return pending.map((p) => p.id);
  }

  async get(id: string): Promise<Delivery | null> {
    const { rows } = await this.db.query<DeliveryRow>(`SELECT ${COLUMNS} FROM deliveries WHERE id = $1`, [id]);
    return rows[0] ? toDelivery(rows[0]) : null;
  }

  /** Records one attempt and the delivery's new state in one transaction. */
  async recordAttempt(
    id: string,
    attempt: Omit<DeliveryAttempt, 'attempt'>,
    next: { status: DeliveryStatus; error?: string | null },
  ): Promise<number> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ attempts: number }>(
        `UPDATE deliveries SET attempts = attempts + 1, last_status = $2, last_error = $3, status = $4, updated_at = $5,
           delivered_at = CASE WHEN $4 = 'delivered' THEN $5 ELSE delivered_at END
         WHERE id = $1 RETURNING attempts`,
        [id, attempt.statusCode, next.error ?? attempt.error, next.status, new Date(attempt.at)],
      );
      const n = rows[0]?.attempts ?? 0;
      await tx.query(
        `INSERT INTO delivery_attempts (delivery_id, attempt, at, webhook_timestamp, status_code, latency_ms, response_excerpt, error, outcome)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [id, n, new Date(attempt.at), attempt.webhookTimestamp, attempt.statusCode, attempt.latencyMs, attempt.responseExcerpt, attempt.error, attempt.outcome],
      );
      return n;
    });
  }

  /** Sets the final status without an attempt (exhausted → dead, endpoint disabled → cancelled). */
  async setStatus(id: string, status: DeliveryStatus, error: string | null, at: Date): Promise<void> {
    await this.db.query(`UPDATE deliveries SET status = $2, last_error = COALESCE($3, last_error), updated_at = $4 WHERE id = $1`, [id, status, error, at]);
  }

  /**
   * Makes a delivery pending again (manual replay); the webhook-id stays, so a receiver that already has
   * it can tell. Returns the new replay count, or null when there is no such delivery.
   */
  async reopen(id: string, at: Date): Promise<number | null> {
    const { rows } = await this.db.query<{ replays: number }>(
      `UPDATE deliveries SET status = 'pending', replays = replays + 1, updated_at = $2 WHERE id = $1 RETURNING replays`,
      [id, at],
    );
    return rows[0]?.replays ?? null;
  }

  async attempts(id: string): Promise<DeliveryAttempt[]> {
    const { rows } = await this.db.query<{
      attempt: number;
      at: Date;
      webhook_timestamp: string | number;
      status_code: number | null;
      latency_ms: number;
      response_excerpt: string | null;
      error: string | null;
      outcome: AttemptOutcome;
    }>(`SELECT attempt, at, webhook_timestamp, status_code, latency_ms, response_excerpt, error, outcome FROM delivery_attempts WHERE delivery_id = $1 ORDER BY id`, [id]);
    return rows.map((r) => ({
      attempt: r.attempt,
      at: r.at.toISOString(),
      webhookTimestamp: Number(r.webhook_timestamp),
      statusCode: r.status_code,
      latencyMs: r.latency_ms,
      responseExcerpt: r.response_excerpt,
      error: r.error,
      outcome: r.outcome,
    }));
  }

  /** How many `later` (429/503 Retry-After) answers a delivery has had: bounded so a receiver cannot stall it forever. */
  async laterCount(id: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM delivery_attempts WHERE delivery_id = $1 AND outcome = 'later'`, [id]);
    return rows[0]?.n ?? 0;
  }

  /** Newest first; pass the last row as `before` for the next page. */
  async list(query: DeliveryQuery): Promise<Delivery[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => (params.push(v), `$${params.length}`);
    if (query.endpoint) where.push(`endpoint_id = ${p(query.endpoint)}`);
    if (query.status && query.status.length > 0) where.push(`status = ANY(${p(query.status)}::text[])`);
    if (query.since) where.push(`created_at >= ${p(query.since)}`);
    if (query.before) where.push(`(created_at, id) < (${p(new Date(query.before.createdAt))}::timestamptz, ${p(query.before.id)})`);
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    const { rows } = await this.db.query<DeliveryRow>(
      `SELECT ${COLUMNS} FROM deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ${limit}`,
      params,
    );
    return rows.map(toDelivery);
  }

  /** Pending deliveries of an endpoint (cancelled at once when it is disabled). */
  async cancelPendingFor(endpointId: string, reason: string, at: Date): Promise<number> {
    const { rowCount } = await this.db.query(
      `UPDATE deliveries SET status = 'cancelled', last_error = $2, updated_at = $3 WHERE endpoint_id = $1 AND status = 'pending'`,
      [endpointId, reason, at],
    );
    return rowCount;
  }
}

function toDelivery(r: DeliveryRow): Delivery {
  return {
    id: r.id,
    endpointId: r.endpoint_id,
    ruleId: r.rule_id,
    eventType: r.event_type,
    eventKey: r.event_key,
    articleId: r.article_id,
    body: r.body,
    status: r.status,
    attempts: r.attempts,
    lastStatus: r.last_status,
    lastError: r.last_error,
    replays: r.replays,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    deliveredAt: r.delivered_at?.toISOString() ?? null,
  };
}
