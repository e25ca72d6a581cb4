import { userInfo } from 'node:os';
import pg from 'pg';
import { connectionTarget, databaseUnavailableReason, DatabaseUnavailableError, describeConnectError, type ConnectionTarget } from './database-error.js';
import type { Db } from './db.js';
import { TransactionDb } from './transaction-db.js';

/**
 * The user when the URL names none (`postgres:///db` is a valid libpq URL): libpq takes PGUSER, else the
 * operating-system user; pg takes PGUSER, else $USER, which services and containers often lack. Setting
 * pg's default to the OS user gives libpq's behaviour (PGUSER still comes first).
 */
export function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry for this uid (some containers): pg's own default stays.
    return pg.defaults.user ?? '';
  }
}
pg.defaults.user = osUser();

type Queryable = Pick<pg.PoolClient, 'query'>;

async function runQuery<R extends object>(client: Queryable, sql: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }> {
  // Without parameters pg uses the simple protocol, which allows several statements (migrations);
  // it then answers with one result per statement, and the last one is what the caller asked for.
  const result = (await client.query(sql, params)) as pg.QueryResult | pg.QueryResult[];
  const last = Array.isArray(result) ? result[result.length - 1] : result;
  return { rows: (last?.rows ?? []) as R[], rowCount: last?.rowCount ?? 0 };
}

/**
 * A PostgreSQL server reached through a pg connection pool. A query or transaction that fails because the
 * server is away (refused, reset, terminated, starting up or shutting down, no connection within the pool's
 * timeout) throws a transient {@link DatabaseUnavailableError} naming the server: the queue workers read that
 * type and wait for the database instead of spending the job's attempts.
 */
export class PgDb implements Db {
  /** `display`: who the server is in messages (`PostgreSQL at postgres://user@host:port/db`, no password). */
  constructor(
    private readonly pool: pg.Pool,
    private readonly display = 'PostgreSQL',
  ) {}

  /**
   * Opens a pool on `url` and checks that the server answers; a server that cannot be used is a
   * DatabaseUnavailableError saying why and what to do.
   */
  static async connect(url: string, options: { max?: number; display?: string } = {}): Promise<PgDb> {
    const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, connectionTimeoutMillis: 10_000 });
    // An idle client losing its server must not crash the process; the next query reports the problem.
    pool.on('error', () => undefined);
    const tried = targetOf(url);
    const target = options.display ? { ...tried, display: options.display } : tried;
    const db = new PgDb(pool, options.display ?? `PostgreSQL at ${target.display}`);
    try {
      await db.ping();
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw describeConnectError(err, target);
    }
    return db;
  }

  async query<R extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }> {
    try {
      return await runQuery<R>(this.pool, sql, params);
    } catch (err) {
      throw this.unavailable(err);
    }
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw this.unavailable(err);
    }
    // A client whose connection broke must not go back to the pool for the next caller.
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const out = await fn(new TransactionDb((sql, params) => runQuery(client, sql, params), (sql) => client.query(sql)));
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      const typed = this.unavailable(err);
      if (typed instanceof DatabaseUnavailableError) broken = typed;
      throw typed;
    } finally {
      client.release(broken);
    }
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** The error as thrown, or a transient DatabaseUnavailableError when it says the server is away. */
  private unavailable(err: unknown): unknown {
    if (err instanceof DatabaseUnavailableError) return err;
    const reason = databaseUnavailableReason(err);
    return reason === null ? err : new DatabaseUnavailableError(`${this.display} is unavailable (${reason})`, true, { cause: err });
  }
}

/** pg's own reading of the URL, environment (PGUSER, PGHOST…) and defaults: what it really connects to. */
function targetOf(url: string): ConnectionTarget {
  const tried = new pg.Client({ connectionString: url });
  return connectionTarget({ host: tried.host, port: tried.port, user: tried.user ?? '', database: tried.database ?? '' });
}
