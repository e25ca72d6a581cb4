import { dirname, join } from 'node:path';
import type { Db } from './db.js';
import { PgDb } from './pg-db.js';
import { EmbeddedDatabaseBusyError, PgliteDb } from './pglite-db.js';
import { SOCKET_PORT } from './pglite-socket-server.js';

export interface OpenDatabaseOptions {
  /** A postgres:// URL; null selects the embedded PGlite. */
  url: string | null;
  /** Data folder; the embedded database lives in `${dataDir}/pglite`. */
  dataDir: string;
  /** Pool size for a PostgreSQL server. */
  poolSize?: number;
  /** What this process runs (`start`, `results`…), named to another process that finds the database busy. */
  command?: string;
}

/** The embedded database's folder under the data folder. */
export function embeddedDatabaseDir(dataDir: string): string {
  return join(dataDir, 'pglite');
}

/**
 * Opens the configured database: a pg pool on a PostgreSQL server when a URL is given, otherwise the
 * embedded PGlite persisted under the data folder. Migrations are applied separately (`migrate`).
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Db> {
  if (options.url) return PgDb.connect(options.url, { max: options.poolSize });
  return PgliteDb.open(embeddedDatabaseDir(options.dataDir), { command: options.command });
}

/**
 * The database for a one-off command. On the embedded database held by a running service, the command
 * goes through the service's socket (the same PostgreSQL protocol a server speaks), so `results`, `review`
 * or `backtest` work beside `framewatch start`.
 */
export async function openCliDatabase(options: OpenDatabaseOptions): Promise<Db> {
  try {
    return await openDatabase(options);
  } catch (err) {
    const socket = err instanceof EmbeddedDatabaseBusyError ? err.holder.socket : null;
    if (!socket || !(err instanceof EmbeddedDatabaseBusyError)) throw err;
    const url = `postgres://postgres@${encodeURIComponent(dirname(socket))}:${SOCKET_PORT}/postgres`;
    return PgDb.connect(url, { max: 2, display: `the embedded database served by process ${err.holder.pid} on ${socket}` });
  }
}
