import { UnrecoverableError } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { FetchError } from '../../../src/fetch/fetch-error.js';
import { TransientFetchError } from '../../../src/pipeline/extract.js';
import { PermanentStageError } from '../../../src/pipeline/stage-error.js';
import { DatabaseUnavailableError } from '../../../src/store/database-error.js';
import { dependencyOutageOf, OutageGate } from '../../../src/workers/dependency-outage.js';
import { freePort } from '../../helpers/service-process.js';

const withCode = (message: string, code: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { code, ...extra });

describe('dependencyOutageOf: a dependency away, or an error of the job', () => {
  it('PostgreSQL away: refused, reset, terminated, starting up or shutting down, no connection in time', () => {
    const away = [
      new DatabaseUnavailableError('PostgreSQL at postgres://u@h:5432/db is unavailable (ECONNREFUSED)', true),
      withCode('terminating connection due to administrator command', '57P01'),
      withCode('the database system is starting up', '57P03'),
      withCode('the database system is shutting down', '57P03'),
      withCode('sorry, too many clients already', '53300'),
      withCode('connection failure during authentication', '08006'),
      new Error('Connection terminated unexpectedly'),
      new Error('Connection terminated due to connection timeout'),
      new Error('timeout exceeded when trying to connect'),
      new Error('Client has encountered a connection error and is not queryable'),
      // The embedded database's socket file, gone with the process that served it.
      withCode('connect ENOENT /data/.s.PGSQL.5432', 'ENOENT', { syscall: 'connect' }),
      // node:net's happy-eyeballs connect to "localhost" (::1 and 127.0.0.1).
      new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'), withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')]),
    ];
    for (const err of away) expect(dependencyOutageOf(err), err.message).not.toBeNull();
    expect(dependencyOutageOf(away[0])?.dependency).toBe('PostgreSQL');
    expect(dependencyOutageOf(away[2])?.dependency).toBe('PostgreSQL');
  });

  it('a real refused connection, as pg reports it', async () => {
    const client = new pg.Client({ connectionString: `postgres://nobody@127.0.0.1:${await freePort()}/db` });
    const err = await client.connect().then(
      () => null,
      (e: unknown) => e,
    );
    expect(dependencyOutageOf(err)).toMatchObject({ reason: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('Redis away: closed connection, retries given up, loading, failover, cluster down', async () => {
    const away = [
      new Error('Connection is closed.'),
      Object.assign(new Error('Reached the max retries per request limit (which is 3). Refer to "maxRetriesPerRequest" option for details.'), { name: 'MaxRetriesPerRequestError' }),
      new Error('LOADING Redis is loading the dataset in memory'),
      new Error("READONLY You can't write against a read only replica."),
      new Error('CLUSTERDOWN The cluster is down'),
      new Error('TRYAGAIN Multiple keys request during rehashing of slot'),
      Object.assign(new Error('Failed to refresh slots cache.'), { name: 'ClusterAllFailedError' }),
      new Error('None of startup nodes is available'),
    ];
    for (const err of away) expect(dependencyOutageOf(err), err.message).toMatchObject({ dependency: 'Redis' });
    // A real one: a client that may not queue commands while it has no connection.
    const redis = new Redis(await freePort(), '127.0.0.1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined);
    const err = await redis.get('x').then(
      () => null,
      (e: unknown) => e,
    );
    redis.disconnect();
    expect(dependencyOutageOf(err)).toMatchObject({ dependency: 'Redis' });
  });

  it("errors of the job are not outages: the statement's, the stage's, and the outside world's", () => {
    const own = [
      withCode('duplicate key value violates unique constraint "articles_pkey"', '23505'),
      withCode('syntax error at or near "SELEC"', '42601'),
      new DatabaseUnavailableError('PostgreSQL at postgres://u@h/db: database "db" does not exist', false),
      new Error('WRONGTYPE Operation against a key holding the wrong kind of value'),
      new PermanentStageError('article a1 has no working document (expired)'),
      new UnrecoverableError('invalid store payload'),
      new TypeError("Cannot read properties of undefined (reading 'labels')"),
      // A page or a webhook that cannot be reached is the job's outcome, whatever socket error it carries.
      new FetchError('network', 'https://news.example/a', 'ECONNRESET: other side closed', { cause: withCode('read ECONNRESET', 'ECONNRESET') }),
      new TransientFetchError('fetching the article failed: ECONNREFUSED', 'https://news.example/a', 'network', undefined, { cause: withCode('connect ECONNREFUSED', 'ECONNREFUSED') }),
      // Only the error itself is read, never its cause.
      new Error('the stage failed', { cause: withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED') }),
      'a string',
      null,
    ];
    for (const err of own) expect(dependencyOutageOf(err), String(err)).toBeNull();
  });
});

describe('OutageGate: one stage worker during an outage', () => {
  const outage = { dependency: 'PostgreSQL' as const, reason: 'ECONNREFUSED' };

  it('holds the stage with a wait doubling from initial to max, however many tries fail, and ends on a success', () => {
    let now = 0;
    const gate = new OutageGate({ initial: 1_000, max: 8_000 }, () => now);
    expect(gate.held()).toBeNull();
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      const { waitMs, opened } = gate.failed(outage);
      expect(opened).toBe(true);
      waits.push(waitMs);
      expect(gate.held()).toEqual({ waitMs, outage });
      now += waitMs;
      expect(gate.held()).toBeNull();
    }
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000, 8_000]);
    expect(gate.passed()).toBe(true);
    expect(gate.passed()).toBe(false);
    expect(gate.failed(outage).waitMs).toBe(1_000);
  });

  it('jobs already running when the outage began wait out the same window, without doubling it', () => {
    let now = 0;
    const gate = new OutageGate({ initial: 1_000, max: 60_000 }, () => now);
    expect(gate.failed(outage)).toEqual({ waitMs: 1_000, opened: true });
    now += 300;
    expect(gate.failed(outage)).toEqual({ waitMs: 700, opened: false });
    now += 700;
    expect(gate.failed(outage)).toEqual({ waitMs: 2_000, opened: true });
  });
});
