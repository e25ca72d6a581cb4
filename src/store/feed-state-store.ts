import type { FeedHealthEvent, FeedState } from '../domain/feed-state.js';
import type { FeedError, FeedErrorClass, FeedHealthState } from '../domain/types.js';
import type { Db } from './db.js';

interface FeedRow {
  id: string;
  url: string;
  etag: string | null;
  last_modified: string | null;
  polls: number;
  polls_since_unconditional: number;
  last_polled_at: Date | string | null;
  last_success_at: Date | string | null;
  last_http_status: number | null;
  last_new_item_at: Date | string | null;
  rhythm_ms: string | number | null;
  items_seen: string | number;
  consecutive_failures: number;
  failing_since: Date | string | null;
  last_error_class: string | null;
  last_error_message: string | null;
  last_error_status: number | null;
  last_error_at: Date | string | null;
  health_state: string;
  next_poll_at: Date | string | null;
  interval_ms: string | number | null;
  publisher_hint_ms: string | number | null;
  items_over_cap: number;
}

interface EventRow {
  id: string;
  feed_id: string;
  kind: string;
  from_state: string;
  to_state: string;
  at: Date | string;
  message: string;
  error: FeedError | string | null;
}

// pg returns Date for timestamptz and string for bigint; PGlite may differ, so both are accepted.
const toDate = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));
const toNum = (v: string | number | null): number | null => (v === null ? null : Number(v));

function fromRow(r: FeedRow): FeedState {
  return {
    feedId: r.id,
    url: r.url,
    etag: r.etag,
    lastModified: r.last_modified,
    polls: r.polls,
    pollsSinceUnconditional: r.polls_since_unconditional,
    lastPolledAt: toDate(r.last_polled_at),
    lastSuccessAt: toDate(r.last_success_at),
    lastHttpStatus: r.last_http_status,
    lastNewItemAt: toDate(r.last_new_item_at),
    rhythmMs: toNum(r.rhythm_ms),
    itemsSeen: toNum(r.items_seen) ?? 0,
    consecutiveFailures: r.consecutive_failures,
    failingSince: toDate(r.failing_since),
    lastError: r.last_error_class
      ? { class: r.last_error_class as FeedErrorClass, message: r.last_error_message ?? '', ...(r.last_error_status !== null ? { status: r.last_error_status } : {}) }
      : null,
    lastErrorAt: toDate(r.last_error_at),
    healthState: r.health_state as FeedHealthState,
    nextPollAt: toDate(r.next_poll_at),
    intervalMs: toNum(r.interval_ms),
    publisherHintMs: toNum(r.publisher_hint_ms),
    itemsOverCap: r.items_over_cap,
  };
}

function eventFromRow(r: EventRow): FeedHealthEvent {
  const error = typeof r.error === 'string' ? (JSON.parse(r.error) as FeedError) : r.error;
  return {
    id: r.id,
    type: 'feed.health',
    feedId: r.feed_id,
    kind: r.kind as FeedHealthEvent['kind'],
    from: r.from_state as FeedHealthState,
    to: r.to_state as FeedHealthState,
    at: (toDate(r.at) ?? new Date(0)).toISOString(),
    message: r.message,
    error,
  };
}

const COLUMNS =
  'id, url, etag, last_modified, polls, polls_since_unconditional, last_polled_at, last_success_at, last_http_status, last_new_item_at, rhythm_ms, items_seen, consecutive_failures, failing_since, last_error_class, last_error_message, last_error_status, last_error_at, health_state, next_poll_at, interval_ms, publisher_hint_ms, items_over_cap';

/** Feed polling state and health in PostgreSQL (table `feeds`, migration 020). */
export class FeedStateStore {
  constructor(private readonly db: Db) {}

  async get(feedId: string): Promise<FeedState | null> {
    const { rows } = await this.db.query<FeedRow>(`SELECT ${COLUMNS} FROM feeds WHERE id = $1`, [feedId]);
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** States of the given feeds (all stored feeds when `ids` is omitted), by id. */
  async list(ids?: string[]): Promise<Map<string, FeedState>> {
    const { rows } = ids
      ? await this.db.query<FeedRow>(`SELECT ${COLUMNS} FROM feeds WHERE id = ANY($1::text[])`, [ids])
      : await this.db.query<FeedRow>(`SELECT ${COLUMNS} FROM feeds`, []);
    return new Map(rows.map((r) => [r.id, fromRow(r)]));
  }

  /** Writes the whole state of one feed (the poll stage owns each feed's row while it polls it). */
  async save(state: FeedState): Promise<void> {
    await this.db.query(
      `INSERT INTO feeds (${COLUMNS}, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23, now())
       ON CONFLICT (id) DO UPDATE SET
         url = EXCLUDED.url, etag = EXCLUDED.etag, last_modified = EXCLUDED.last_modified, polls = EXCLUDED.polls,
         polls_since_unconditional = EXCLUDED.polls_since_unconditional, last_polled_at = EXCLUDED.last_polled_at,
         last_success_at = EXCLUDED.last_success_at, last_http_status = EXCLUDED.last_http_status,
         last_new_item_at = EXCLUDED.last_new_item_at, rhythm_ms = EXCLUDED.rhythm_ms, items_seen = EXCLUDED.items_seen,
         consecutive_failures = EXCLUDED.consecutive_failures, failing_since = EXCLUDED.failing_since,
         last_error_class = EXCLUDED.last_error_class, last_error_message = EXCLUDED.last_error_message,
         last_error_status = EXCLUDED.last_error_status, last_error_at = EXCLUDED.last_error_at,
         health_state = EXCLUDED.health_state, next_poll_at = EXCLUDED.next_poll_at, interval_ms = EXCLUDED.interval_ms,
         publisher_hint_ms = EXCLUDED.publisher_hint_ms, items_over_cap = EXCLUDED.items_over_cap, updated_at = now()`,
      [
        state.feedId,
        state.url,
        state.etag,
        state.lastModified,
        state.polls,
        state.pollsSinceUnconditional,
        state.lastPolledAt,
        state.lastSuccessAt,
        state.lastHttpStatus,
        state.lastNewItemAt,
        state.rhythmMs === null ? null : Math.round(state.rhythmMs),
        state.itemsSeen,
        state.consecutiveFailures,
        state.failingSince,
        state.lastError?.class ?? null,
        state.lastError?.message ?? null,
        state.lastError?.status ?? null,
        state.lastErrorAt,
        state.healthState,
        state.nextPollAt,
        state.intervalMs,
        state.publisherHintMs,
        state.itemsOverCap,
      ],
    );
  }

  /** Records a health event once (the id is stable per transition). */
  async recordHealthEvent(event: FeedHealthEvent): Promise<void> {
    await this.db.query(
      `INSERT INTO feed_health_events (id, feed_id, kind, from_state, to_state, at, message, error)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8::text::jsonb) ON CONFLICT (id) DO NOTHING`,
      [event.id, event.feedId, event.kind, event.from, event.to, event.at, event.message, event.error ? JSON.stringify(event.error) : null],
    );
  }

  /** One health event by id (the alert stage loads it from the job's `eventId`). */
  async getHealthEvent(id: string): Promise<FeedHealthEvent | null> {
    const { rows } = await this.db.query<EventRow>('SELECT id, feed_id, kind, from_state, to_state, at, message, error FROM feed_health_events WHERE id = $1', [id]);
    return rows[0] ? eventFromRow(rows[0]) : null;
  }

  /** A feed's most recent health events, newest first. */
  async recentHealthEvents(feedId: string, limit = 20): Promise<FeedHealthEvent[]> {
    const { rows } = await this.db.query<EventRow>(
      'SELECT id, feed_id, kind, from_state, to_state, at, message, error FROM feed_health_events WHERE feed_id = $1 ORDER BY at DESC LIMIT $2',
      [feedId, limit],
    );
    return rows.map(eventFromRow);
  }
}
