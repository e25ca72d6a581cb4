import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { DatabaseUnavailableError } from '../../../src/store/database-error.js';
import { PgDb } from '../../../src/store/pg-db.js';
import { TEST_PG_ADMIN_URL } from '../../helpers/postgres.js';
import { freePort } from '../../helpers/service-process.js';

/** What a PostgreSQL that cannot be used looks like to a person: a sentence with the fix, not a driver stack. */
async function connectError(url: string): Promise<DatabaseUnavailableError> {
  const err = await PgDb.connect(url).then(
    async (db) => {
      await db.close();
      return null;
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DatabaseUnavailableError);
  return err as DatabaseUnavailableError;
}

describe('a PostgreSQL that cannot be used', () => {
  it('a database that does not exist: says so and how to create it; not worth waiting for', async () => {
    const url = new URL(TEST_PG_ADMIN_URL);
    url.pathname = '/fwtest_no_such_database';
    const err = await connectError(url.toString());
    expect(err.message).toMatch(/database "fwtest_no_such_database" does not exist; create it \(createdb .* fwtest_no_such_database, or CREATE DATABASE/);
    expect(err.transient).toBe(false);
  });

  it('a refused port: names host and port and what to do; worth waiting for', async () => {
    const port = await freePort();
    const err = await connectError(`postgres://someone@127.0.0.1:${port}/db`);
    expect(err.message).toBe(`PostgreSQL at postgres://someone@127.0.0.1:${port}/db refused the connection (nothing listens on 127.0.0.1:${port}); start PostgreSQL or fix DATABASE_URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE)`);
    expect(err.transient).toBe(true);
  });

  it('a URL with no user (postgres:///db is valid for libpq) uses the operating-system user, as libpq does', async () => {
    const osUser = process.env.PGUSER || userInfo().username;
    expect(pg.defaults.user).toBe(userInfo().username);
    const port = await freePort();
    const err = await connectError(`postgres://127.0.0.1:${port}/db`);
    expect(err.message).toContain(`postgres://${osUser}@127.0.0.1:${port}/db`);
    expect(err.message).not.toMatch(/no PostgreSQL user name/);
  });
});
