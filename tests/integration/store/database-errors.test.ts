import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { DatabaseUnavailableError } from '../../../src/store/database-error.js';
import { PgDb } from '../../../src/store/pg-db.js';
import { createTestDatabase, TEST_PG_ADMIN_URL } from '../../helpers/postgres.js';
import { freePort } from '../../helpers/service-process.js';
import { startTcpProxy } from '../../helpers/tcp-proxy.js';

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

describe('a PostgreSQL that goes away while the service runs', () => {
  it('queries and transactions throw a transient DatabaseUnavailableError naming the server; a statement error stays as it is', async () => {
    const database = await createTestDatabase('db_errors_away');
    const target = new URL(database.url);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const db = await PgDb.connect(proxy.via(database.url), { max: 2 });
    try {
      await db.query('CREATE TABLE t (id int PRIMARY KEY)');
      await db.query('INSERT INTO t VALUES (1)');
      const duplicate = await db.query('INSERT INTO t VALUES (1)').catch((e: unknown) => e);
      expect(duplicate).not.toBeInstanceOf(DatabaseUnavailableError);
      expect((duplicate as { code?: string }).code).toBe('23505');

      proxy.cut();
      for (const attempt of [() => db.query('SELECT 1'), () => db.transaction((tx) => tx.query('SELECT 1'))]) {
        const err = await attempt().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(DatabaseUnavailableError);
        expect((err as DatabaseUnavailableError).transient).toBe(true);
        expect((err as Error).message).toMatch(new RegExp(`^PostgreSQL at postgres://\\w+@127\\.0\\.0\\.1:${proxy.port}/${target.pathname.slice(1)} is unavailable \\(`));
        expect((err as Error).message).not.toContain(target.password || 'no-password-in-url');
      }
      proxy.restore();
      expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM t')).rows[0]?.n).toBe(1);
    } finally {
      await db.close();
      await proxy.close();
      await database.drop();
    }
  });
});
