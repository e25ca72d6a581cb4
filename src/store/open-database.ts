import { join } from 'node:path';
import type { Db } from './db.js';
import { PgDb } from './pg-db.js';
import { PgliteDb } from './pglite-db.js';

export interface OpenDatabaseOptions {
  /** A postgres:// URL; null selects the embedded PGlite. */
  url: string | null;
  /** Data folder; the embedded database lives in `${dataDir}/pglite`. */
  dataDir: string;
  /** Pool size for a PostgreSQL server. */
  poolSize?: number;
}

/**
 * Opens the configured database: a pg pool on a PostgreSQL server when a URL is given, otherwise the
 * embedded PGlite persisted under the data folder. Migrations are applied separately (`migrate`).
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Db> {
  if (options.url) return PgDb.connect(options.url, { max: options.poolSize });
  return PgliteDb.open(join(options.dataDir, 'pglite'));
}
