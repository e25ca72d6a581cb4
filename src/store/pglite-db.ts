import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Db } from './db.js';
import { TransactionDb } from './transaction-db.js';

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

/** The embedded database folder is open in another live process (PGlite has no multi-process access). */
export class EmbeddedDatabaseBusyError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(`the embedded database in ${dir} is in use by process ${pid}; stop it, or set DATABASE_URL so processes share a PostgreSQL server`);
    this.name = 'EmbeddedDatabaseBusyError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims `${dir}.lock` for this process. Two processes writing one PGlite folder corrupt it, so a second
 * opener (another process, or this one twice) is refused; a lock left by a dead process is taken over.
 */
function acquireLock(dir: string): () => void {
  const file = `${dir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(pid) && isAlive(pid)) throw new EmbeddedDatabaseBusyError(dir, pid);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock ${dir}`);
}

/**
 * The embedded PostgreSQL (PGlite, WebAssembly) persisted in a folder. One process owns the folder; PGlite
 * serialises queries itself, so there is no pool.
 */
export class PgliteDb implements Db {
  constructor(
    private readonly pg: PGlite,
    private readonly unlock: () => void = () => undefined,
  ) {}

  /**
   * Opens (creating if needed) the database in `dir`, locked to this process; `null` keeps it in memory
   * (tests, `scan`). Throws EmbeddedDatabaseBusyError when another live process has the folder open.
   */
  static async open(dir: string | null): Promise<PgliteDb> {
    if (dir === null) return new PgliteDb(await PGlite.create());
    mkdirSync(dir, { recursive: true });
    const unlock = acquireLock(dir);
    try {
      return new PgliteDb(await PGlite.create(dir), unlock);
    } catch (err) {
      unlock();
      throw err;
    }
  }

  query<R extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }> {
    return runQuery<R>(this.pg, sql, params);
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.pg.transaction((tx) => fn(new TransactionDb((sql, params) => runQuery(tx, sql, params), (sql) => tx.exec(sql))));
  }

  async ping(): Promise<void> {
    await this.pg.query('SELECT 1');
  }

  async close(): Promise<void> {
    try {
      if (!this.pg.closed) await this.pg.close();
    } finally {
      this.unlock();
    }
  }
}
