import type { Db } from './db.js';

/** An endpoint's health as deliveries see it, shared by every worker. */
export interface EndpointState {
  endpointId: string;
  disabledAt: string | null;
  disabledReason: string | null;
  /** Start of the current run of failures (null after a success). */
  failingSince: string | null;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
}

interface Row {
  endpoint_id: string;
  disabled_at: Date | null;
  disabled_reason: string | null;
  failing_since: Date | null;
  last_success_at: Date | null;
  last_failure_at: Date | null;
}

const COLUMNS = 'endpoint_id, disabled_at, disabled_reason, failing_since, last_success_at, last_failure_at';

/** Stored endpoint state: a 410 or days of failures disable an endpoint until someone enables it again. */
export class EndpointStateStore {
  constructor(private readonly db: Db) {}

  async get(endpointId: string): Promise<EndpointState | null> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM alert_endpoint_state WHERE endpoint_id = $1`, [endpointId]);
    return rows[0] ? toState(rows[0]) : null;
  }

  async list(): Promise<EndpointState[]> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM alert_endpoint_state ORDER BY endpoint_id`, []);
    return rows.map(toState);
  }

  async recordSuccess(endpointId: string, at: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO alert_endpoint_state (endpoint_id, last_success_at, updated_at) VALUES ($1, $2, $2)
       ON CONFLICT (endpoint_id) DO UPDATE SET last_success_at = $2, failing_since = NULL, updated_at = $2`,
      [endpointId, at],
    );
  }

  /** Records a failure; returns the start of the current failing run. */
  async recordFailure(endpointId: string, at: Date): Promise<Date> {
    const { rows } = await this.db.query<{ failing_since: Date }>(
      `INSERT INTO alert_endpoint_state (endpoint_id, failing_since, last_failure_at, updated_at) VALUES ($1, $2, $2, $2)
       ON CONFLICT (endpoint_id) DO UPDATE SET failing_since = COALESCE(alert_endpoint_state.failing_since, $2), last_failure_at = $2, updated_at = $2
       RETURNING failing_since`,
      [endpointId, at],
    );
    return rows[0]?.failing_since ?? at;
  }

  /** Failed attempts to the endpoint since a time (a run of failures must be more than a stray one or two). */
  async failuresSince(endpointId: string, since: Date): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
        WHERE d.endpoint_id = $1 AND a.at >= $2 AND a.outcome = 'failed'`,
      [endpointId, since],
    );
    return rows[0]?.n ?? 0;
  }

  /** Disables the endpoint; true only for the call that disabled it (so one `endpoint.disabled` event is sent). */
  async disable(endpointId: string, reason: string, at: Date): Promise<boolean> {
    const { rows } = await this.db.query<{ endpoint_id: string }>(
      `INSERT INTO alert_endpoint_state (endpoint_id, disabled_at, disabled_reason, updated_at) VALUES ($1, $2, $3, $2)
       ON CONFLICT (endpoint_id) DO UPDATE SET disabled_at = $2, disabled_reason = $3, updated_at = $2
         WHERE alert_endpoint_state.disabled_at IS NULL
       RETURNING endpoint_id`,
      [endpointId, at, reason],
    );
    return rows.length > 0;
  }

  async enable(endpointId: string, at: Date): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE alert_endpoint_state SET disabled_at = NULL, disabled_reason = NULL, failing_since = NULL, updated_at = $2 WHERE endpoint_id = $1 AND disabled_at IS NOT NULL`,
      [endpointId, at],
    );
    return rowCount > 0;
  }
}

function toState(r: Row): EndpointState {
  return {
    endpointId: r.endpoint_id,
    disabledAt: r.disabled_at?.toISOString() ?? null,
    disabledReason: r.disabled_reason,
    failingSince: r.failing_since?.toISOString() ?? null,
    lastSuccessAt: r.last_success_at?.toISOString() ?? null,
    lastFailureAt: r.last_failure_at?.toISOString() ?? null,
  };
}
