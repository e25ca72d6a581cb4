import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../../src/config/load-config.js';
import { createLogger } from '../../../src/obs/logger.js';
import { openServiceDatabase } from '../../../src/service/open-service-database.js';
import type { Db } from '../../../src/store/db.js';
import { embeddedDatabaseDir, openCliDatabase } from '../../../src/store/open-database.js';
import { EmbeddedDatabaseBusyError, embeddedDatabaseHolder, PgliteDb } from '../../../src/store/pglite-db.js';
import { lastReadyStatus } from '../../../src/store/pglite-socket-server.js';
import { waitFor } from '../../helpers/wait-for.js';

/**
 * The embedded database served to other processes on a Unix socket while its owner keeps using it: the
 * CLI beside `framewatch start`. PGlite is one session, so each client's exchange or transaction must run
 * whole, never interleaved with another client's or the owner's own.
 */
let dir: string;
let owner: PgliteDb;
let socket: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fw-pglite-socket-'));
  owner = await PgliteDb.open(embeddedDatabaseDir(dir), { command: 'start' });
  await owner.query('CREATE TABLE t (id int PRIMARY KEY, v text)');
  socket = await owner.serve(dir);
});

afterAll(async () => {
  await owner?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the embedded database served on a local socket', () => {
  it('is recorded in the lock file, and a one-off command connects there instead of failing as busy', async () => {
    expect(embeddedDatabaseHolder(embeddedDatabaseDir(dir))).toMatchObject({ pid: process.pid, command: 'start', socket });
    await expect(PgliteDb.open(embeddedDatabaseDir(dir))).rejects.toBeInstanceOf(EmbeddedDatabaseBusyError);
    const cli = await openCliDatabase({ url: null, dataDir: dir });
    try {
      expect((await cli.query<{ n: number }>('SELECT 41 + 1 AS n')).rows).toEqual([{ n: 42 }]);
    } finally {
      await cli.close();
    }
  });

  it('keeps transactions of the owner and of socket clients whole when they run at once', async () => {
    const clients: Db[] = [await openCliDatabase({ url: null, dataDir: dir }), await openCliDatabase({ url: null, dataDir: dir })];
    try {
      const pause = () => new Promise((r) => setTimeout(r, 1));
      const jobs: Promise<unknown>[] = [];
      for (let i = 0; i < 30; i++) {
        jobs.push(
          owner.transaction(async (tx) => {
            await tx.query('INSERT INTO t VALUES ($1, $2)', [i, 'owner']);
            await pause();
            await tx.query('UPDATE t SET v = $2 WHERE id = $1', [i, 'owner-done']);
          }),
        );
        for (const [n, client] of clients.entries()) {
          const id = 1000 * (n + 1) + i;
          jobs.push(
            client.transaction(async (tx) => {
              await tx.query('INSERT INTO t VALUES ($1, $2)', [id, 'client']);
              await pause();
              await tx.query('UPDATE t SET v = $2 WHERE id = $1', [id, 'client-done']);
            }),
          );
          jobs.push(client.query('SELECT count(*) FROM t'));
        }
        jobs.push(owner.query('SELECT count(*) FROM t'));
      }
      await Promise.all(jobs);
      const { rows } = await owner.query<{ v: string; n: number }>('SELECT v, count(*)::int AS n FROM t GROUP BY v ORDER BY v');
      expect(rows).toEqual([
        { v: 'client-done', n: 60 },
        { v: 'owner-done', n: 30 },
      ]);
      // A failing statement inside a client's transaction rolls back that transaction only.
      await expect(clients[0]!.transaction((tx) => tx.query('INSERT INTO t VALUES (0, $1)', ['dup']))).rejects.toThrow(/duplicate key/);
      expect((await owner.query<{ n: number }>('SELECT count(*)::int AS n FROM t')).rows).toEqual([{ n: 90 }]);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });

  it('a client that dies inside a transaction has it rolled back and hands the database back', async () => {
    const client = new pg.Client({ host: dir, port: 5432, user: 'postgres', database: 'postgres' });
    client.on('error', () => undefined);
    await client.connect();
    await client.query('BEGIN');
    await client.query('INSERT INTO t VALUES (-1, $1)', ['abandoned']);
    // The owner waits for the open transaction …
    const waiting = owner.query<{ n: number }>('SELECT count(*)::int AS n FROM t WHERE id = -1');
    // … until the client's connection drops.
    (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    expect((await waiting).rows).toEqual([{ n: 0 }]);
  });

  it('reads the transaction status from the last ReadyForQuery of a reply', () => {
    const z = (status: string) => Buffer.from([0x5a, 0, 0, 0, 5, status.charCodeAt(0)]);
    const commandComplete = Buffer.concat([Buffer.from([0x43, 0, 0, 0, 11]), Buffer.from('BEGIN\0\0')]);
    expect(lastReadyStatus(Buffer.concat([commandComplete, z('T')]))).toBe('T');
    expect(lastReadyStatus(Buffer.concat([z('T'), commandComplete, z('I')]))).toBe('I');
    expect(lastReadyStatus(commandComplete)).toBeNull();
  });
});

describe('a service process opening the embedded database', () => {
  it('waits while a one-off command holds it, then serves it; refuses when another service serves it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'fw-pglite-service-'));
    const logs: string[] = [];
    const logger = createLogger('info', {}, { write: (line: string) => void logs.push(line) });
    const config = { env: { FRAMEWATCH_DATA_DIR: dataDir } } as unknown as AppConfig;
    try {
      const oneOff = await PgliteDb.open(embeddedDatabaseDir(dataDir), { command: 'backtest' });
      const opening = openServiceDatabase(config, logger, { command: 'start' });
      await waitFor(() => logs.some((l) => l.includes('(framewatch backtest); wait for it to finish')), { what: 'the service to say what it waits for' });
      await oneOff.close();
      const service = (await opening) as PgliteDb;
      try {
        expect(embeddedDatabaseHolder(embeddedDatabaseDir(dataDir))).toMatchObject({ command: 'start', socket: join(dataDir, '.s.PGSQL.5432') });
        await expect(openServiceDatabase(config, logger, { command: 'worker --stages store' })).rejects.toThrow(
          /is served by process \d+ \(framewatch start\): run one service process on the embedded database, or set DATABASE_URL/,
        );
      } finally {
        await service.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
