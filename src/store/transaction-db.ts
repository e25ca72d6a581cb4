import type { Db } from './db.js';

type Rows<R> = Promise<{ rows: R[]; rowCount: number }>;

/**
 * A {@link Db} bound to one open transaction, for either driver: `run` queries on the transaction's
 * connection, `exec` runs one statement there. A transaction opened inside it is a savepoint, released when
 * `fn` succeeds and rolled back to when it throws, so a helper can open one without knowing its caller did.
 */
export class TransactionDb implements Db {
  constructor(
    private readonly run: <R extends object>(sql: string, params?: unknown[]) => Rows<R>,
    private readonly exec: (sql: string) => Promise<unknown>,
  ) {}

  query<R extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Rows<R> {
    return this.run<R>(sql, params);
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const name = `sp_${Math.random().toString(36).slice(2, 10)}`;
    await this.exec(`SAVEPOINT ${name}`);
    try {
      const out = await fn(this);
      await this.exec(`RELEASE SAVEPOINT ${name}`);
      return out;
    } catch (err) {
      await this.exec(`ROLLBACK TO SAVEPOINT ${name}`);
      throw err;
    }
  }

  async ping(): Promise<void> {
    await this.exec('SELECT 1');
  }

  close(): Promise<void> {
    return Promise.reject(new Error('close the outer database, not a transaction'));
  }
}
