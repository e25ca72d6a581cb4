import type { AppConfig } from '../config/load-config.js';
import type { Logger } from '../obs/logger.js';
import { DatabaseUnavailableError } from '../store/database-error.js';
import type { Db } from '../store/db.js';
import { openDatabase } from '../store/open-database.js';
import { EmbeddedDatabaseBusyError, PgliteDb } from '../store/pglite-db.js';

/**
 * Opens the database for a service process, waiting (one log line per try, no stack trace) while it
 * cannot be had for now: a PostgreSQL server that does not answer yet, or the embedded database held by a
 * one-off command. What needs a person (no such database, a refused user, another service holding the
 * embedded database) is thrown as a sentence. On the embedded database, the process then serves it on a
 * local socket so the CLI can use it beside the service. Returns null when `signal` aborts first.
 */
export async function openServiceDatabase(config: AppConfig, logger: Logger, options: { command: string; signal?: AbortSignal }): Promise<Db | null> {
  let delayMs = 1_000;
  for (;;) {
    try {
      const db = await openDatabase({ url: config.env.DATABASE_URL ?? null, dataDir: config.env.FRAMEWATCH_DATA_DIR, command: options.command });
      if (db instanceof PgliteDb) {
        const socket = await db.serve(config.env.FRAMEWATCH_DATA_DIR, (err) => logger.warn({ error: err.message }, 'embedded database socket: a client connection failed'));
        logger.info({ socket }, 'embedded database served on a local socket: CLI commands use it while this process runs');
      }
      return db;
    } catch (err) {
      if (err instanceof DatabaseUnavailableError && err.transient) {
        logger.error({ retryInMs: delayMs }, `${err.message}; retrying`);
      } else if (err instanceof EmbeddedDatabaseBusyError && !err.holder.socket) {
        logger.warn({ pid: err.holder.pid, retryInMs: delayMs }, `${err.message}; waiting for it`);
      } else {
        throw err;
      }
    }
    if (options.signal?.aborted) return null;
    await new Promise((r) => setTimeout(r, delayMs));
    if (options.signal?.aborted) return null;
    delayMs = Math.min(delayMs * 2, 15_000);
  }
}
