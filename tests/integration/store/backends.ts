import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
