/**
 * The SQL connection every store uses: a pg Pool against a PostgreSQL server, or the embedded PGlite
 * when no DATABASE_URL is set. Both speak the same SQL and run the same migrations.
 */
export interface Db {
  query<R extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }>;
  /** Runs fn inside one transaction on one connection. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Cheap reachability check for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
