import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Db } from '../../../src/store/db.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { createTestDatabase } from '../../helpers/postgres.js';

/** A database of one test file's own, on one backend; `cleanup` removes exactly it. */
export interface TestDb {
  db: Db;
  /** postgres:// URL of the test database (null for PGlite). */
  url: string | null;
  cleanup: () => Promise<void>;
}

export interface Backend {
  name: 'postgres' | 'pglite';
  open: (testName: string) => Promise<TestDb>;
}

/**
 * A freshly initialised PGlite data folder, made once per PGlite version and machine and copied for each
 * test file: initdb under WebAssembly takes seconds, a copy and reopen well under two. Kept in the temp
 * folder as a cache (no migrations applied, so migration tests still start from nothing).
 */
async function pgliteTemplate(): Promise<string> {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const pkg = join(entry.slice(0, entry.lastIndexOf('/@electric-sql/pglite/') + '/@electric-sql/pglite/'.length), 'package.json');
  const version = (JSON.parse(await readFile(pkg, 'utf8')) as { version: string }).version;
  const dir = join(tmpdir(), `framewatch-test-pglite-template-${version}`);
  if (existsSync(join(dir, 'PG_VERSION'))) return dir;
  const building = await mkdtemp(join(tmpdir(), 'framewatch-test-pglite-build-'));
  const db = await PGlite.create(building);
  await db.close();
  // Another test process may have finished first; its template is as good as ours.
  await rename(building, dir).catch(() => rm(building, { recursive: true, force: true }));
  return dir;
}

/** The two backends every store test runs on: the machine's PostgreSQL and the embedded PGlite. */
export const BACKENDS: Backend[] = [
  {
    name: 'postgres',
    open: async (testName) => {
      const created = await createTestDatabase(testName);
      const db = await openDatabase({ url: created.url, dataDir: '' });
      return {
        db,
        url: created.url,
        cleanup: async () => {
          await db.close();
          await created.drop();
        },
      };
    },
  },
  {
    name: 'pglite',
    open: async (testName) => {
      const dir = await mkdtemp(join(tmpdir(), `fw-${testName}-`));
      await cp(await pgliteTemplate(), join(dir, 'pglite'), { recursive: true });
      const db = await openDatabase({ url: null, dataDir: dir });
      return {
        db,
        url: null,
        cleanup: async () => {
          await db.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
];
