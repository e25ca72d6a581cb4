import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Db } from './db.js';

type Queryable = Pick<Transaction, 'query' | 'exec'>;

async function runQuery<R extends object>(target: Queryable, sql: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }> {
  if (params === undefined) {
    // Same rule as pg: no parameters means the simple protocol, several statements allowed (migrations).
    const results = await target.exec(sql);
    const last = results[results.length - 1];
    return { rows: (last?.rows ?? []) as R[], rowCount: rowCountOf(last) };
  }
  const result = await target.query<R>(sql, params);
  return { rows: result.rows, rowCount: rowCountOf(result) };
}

/** pg's meaning of rowCount: rows returned by a SELECT, rows changed by INSERT/UPDATE/DELETE. */
function rowCountOf(result: { rows: unknown[]; affectedRows?: number } | undefined): number {
  if (!result) return 0;
  return result.rows.length > 0 ? result.rows.length : (result.affectedRows ?? 0);
}

class PgliteTxDb implements Db {
  constructor(private readonly tx: Transaction) {}

  query<R extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }> {
    return runQuery<R>(this.tx, sql, params);
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const name = `sp_${Math.random().toString(36).slice(2, 10)}`;
    await this.tx.exec(`SAVEPOINT ${name}`);
    try {
      const out = await fn(this);
      await this.tx.exec(`RELEASE SAVEPOINT ${name}`);
      return out;
    } catch (err) {
      await this.tx.exec(`ROLLBACK TO SAVEPOINT ${name}`);
      throw err;
    }
  }

  async ping(): Promise<void> {
    await this.tx.query('SELECT 1');
  }

  close(): Promise<void> {
    return Promise.reject(new Error('close the outer database, not a transaction'));
  }
}

/**
 * The embedded PostgreSQL (PGlite, WebAssembly) persisted in a folder. One process owns the folder; PGlite
 * serialises queries itself, so there is no pool.
 */
export class PgliteDb implements Db {
  constructor(private readonly pg: PGlite) {}

  /** Opens (creating if needed) the database in `dir`; `null` keeps it in memory (tests, `scan`). */
  static async open(dir: string | null): Promise<PgliteDb> {
    if (dir !== null) mkdirSync(dir, { recursive: true });
    const pg = dir === null ? await PGlite.create() : await PGlite.create(dir);
    return new PgliteDb(pg);
  }

  query<R extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }> {
    return runQuery<R>(this.pg, sql, params);
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.pg.transaction((tx) => fn(new PgliteTxDb(tx)));
  }

  async ping(): Promise<void> {
    await this.pg.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (!this.pg.closed) await this.pg.close();
  }
}
