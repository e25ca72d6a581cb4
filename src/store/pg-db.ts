import { userInfo } from 'node:os';
import pg from 'pg';
import { connectionTarget, describeConnectError } from './database-error.js';
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

/** A PostgreSQL server reached through a pg connection pool. */
export class PgDb implements Db {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Opens a pool on `url` and checks that the server answers; a server that cannot be used is a
   * DatabaseUnavailableError saying why and what to do.
   */
  static async connect(url: string, options: { max?: number; display?: string } = {}): Promise<PgDb> {
    const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, connectionTimeoutMillis: 10_000 });
    // An idle client losing its server must not crash the process; the next query reports the problem.
    pool.on('error', () => undefined);
    const db = new PgDb(pool);
    try {
      await db.ping();
    } catch (err) {
      await pool.end().catch(() => undefined);
      // pg's own reading of the URL, environment (PGUSER, PGHOST…) and defaults: what it really tried.
      const tried = new pg.Client({ connectionString: url });
      const target = connectionTarget({ host: tried.host, port: tried.port, user: tried.user ?? '', database: tried.database ?? '' });
      throw describeConnectError(err, options.display ? { ...target, display: options.display } : target);
    }
    return db;
  }

  query<R extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }> {
    return runQuery<R>(this.pool, sql, params);
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn(new TransactionDb((sql, params) => runQuery(client, sql, params), (sql) => client.query(sql)));
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
