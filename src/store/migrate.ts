import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.js';

/**
 * Beside this module both in the sources (src/store/migrations) and in the build (dist/store/migrations,
 * where the build copies the .sql files).
 */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** Arbitrary but fixed: every framewatch process contends for this one advisory lock while migrating. */
const MIGRATION_LOCK_KEY = 741_963_852;

/** A migration already applied has changed on disk: forward-only means a new file, never an edit. */
export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

interface MigrationFile {
  version: string;
  sql: string;
  checksum: string;
}

async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((n) => /^\d{3}_[\w-]+\.sql$/.test(n)).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(`${dir.replace(/\/$/, '')}/${name}`, 'utf8');
      return { version: name.replace(/\.sql$/, ''), sql, checksum: createHash('sha256').update(sql).digest('hex').slice(0, 16) };
    }),
  );
}

/**
 * Applies the pending `NNN_name.sql` files of `dir` in lexical order, each in its own transaction, and
 * records each in `schema_migrations`. Safe when several processes start at once: each transaction first
 * takes a transaction-scoped advisory lock, then re-reads what is applied. Returns the versions applied now.
 */
export async function migrate(db: Db, options: { dir?: string } = {}): Promise<string[]> {
  const files = await readMigrations(options.dir ?? DEFAULT_MIGRATIONS_DIR);
  const applied: string[] = [];
  for (const file of files) {
    const ran = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await tx.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version text PRIMARY KEY,
           checksum text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
        [],
      );
      const existing = await tx.query<{ checksum: string }>('SELECT checksum FROM schema_migrations WHERE version = $1', [file.version]);
      const row = existing.rows[0];
      if (row) {
        if (row.checksum !== file.checksum) {
          throw new MigrationError(`migration ${file.version} was edited after it was applied (add a new migration instead)`);
        }
        return false;
      }
      await tx.query(file.sql);
      await tx.query('INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)', [file.version, file.checksum]);
      return true;
    });
    if (ran) applied.push(file.version);
  }
  return applied;
}

/** Versions recorded as applied, oldest first (for `framewatch migrate --status` and readiness checks). */
export async function appliedMigrations(db: Db): Promise<string[]> {
  const exists = await db.query<{ present: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS present", []);
  if (!exists.rows[0]?.present) return [];
  const { rows } = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version', []);
  return rows.map((r) => r.version);
}
