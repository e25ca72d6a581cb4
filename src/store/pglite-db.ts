import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Db } from './db.js';
import { servePgliteSocket, SessionLock, socketPathIn, type PgliteSocketServer } from './pglite-socket-server.js';
import { TransactionDb } from './transaction-db.js';

type Queryable = Pick<Transaction, 'query' | 'exec'>;

async function runQuery<R extends object>(target: Queryable, sql: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }> {
  if (params === undefined) {
    // Same rule as pg: no parameters means the simple protocol, several statements allowed (migrations).
    const results = await target.exec(sql);
    const last = results[results.length - 1];
    return { rows: (last?.rows ?? []) as R[], rowCount: rowCountOf(last) };
  }
  const result = await target.query<R>(sql, params);
  return { rows: result.rows, rowCount: rowCountOf(result) };
}

/** pg's meaning of rowCount: rows returned by a SELECT, rows changed by INSERT/UPDATE/DELETE. */
function rowCountOf(result: { rows: unknown[]; affectedRows?: number } | undefined): number {
  if (!result) return 0;
  return result.rows.length > 0 ? result.rows.length : (result.affectedRows ?? 0);
}

/** Who holds the embedded database: recorded in its lock file for the next process to read. */
export interface EmbeddedDatabaseHolder {
  pid: number;
  /** What the holder runs (`start`, `results`…), for messages. */
  command: string | null;
  /** The Unix socket it serves the database on, when it does (the service roles). */
  socket: string | null;
}

/** The embedded database folder is open in another live process (PGlite has no multi-process access). */
export class EmbeddedDatabaseBusyError extends Error {
  readonly pid: number;
  constructor(
    readonly dir: string,
    readonly holder: EmbeddedDatabaseHolder,
  ) {
    const who = `process ${holder.pid}${holder.command ? ` (framewatch ${holder.command})` : ''}`;
    super(
      holder.socket
        ? `the embedded database in ${dir} is served by ${who}: run one service process on the embedded database, or set DATABASE_URL so several processes share a PostgreSQL server`
        : `the embedded database in ${dir} is in use by ${who}; wait for it to finish or stop it, or set DATABASE_URL so processes share a PostgreSQL server`,
    );
    this.name = 'EmbeddedDatabaseBusyError';
    this.pid = holder.pid;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock file's holder; a bare pid is what versions before the socket wrote. */
function readHolder(file: string): EmbeddedDatabaseHolder | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const json = JSON.parse(text) as Partial<EmbeddedDatabaseHolder>;
    if (typeof json === 'object' && json !== null && Number.isInteger(json.pid)) {
      return { pid: json.pid as number, command: json.command ?? null, socket: json.socket ?? null };
    }
  } catch {
    // Not JSON: the older format.
  }
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) ? { pid, command: null, socket: null } : null;
}

/** The live holder of the embedded database in `dir`, or null when nobody holds it. */
export function embeddedDatabaseHolder(dir: string): EmbeddedDatabaseHolder | null {
  const holder = readHolder(`${dir}.lock`);
  return holder && isAlive(holder.pid) ? holder : null;
}

interface Lock {
  /** Rewrites the lock file with what this process now offers (its socket). */
  update(holder: Omit<EmbeddedDatabaseHolder, 'pid'>): void;
  release(): void;
}

/**
 * Claims `${dir}.lock` for this process. Two processes writing one PGlite folder corrupt it, so a second
 * opener (another process, or this one twice) is refused; a lock left by a dead process is taken over.
 */
function acquireLock(dir: string, command: string | null): Lock {
  const file = `${dir}.lock`;
  const content = (holder: Omit<EmbeddedDatabaseHolder, 'pid'>) => `${JSON.stringify({ pid: process.pid, ...holder })}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, content({ command, socket: null }), { flag: 'wx' });
      return { update: (holder) => writeFileSync(file, content(holder)), release: () => rmSync(file, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(file);
      if (holder && isAlive(holder.pid)) throw new EmbeddedDatabaseBusyError(dir, holder);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock ${dir}`);
}

/** Unix socket paths are limited to ~107 bytes; a deep data folder serves from a private folder in /tmp instead. */
const MAX_SOCKET_PATH = 100;

/**
 * The embedded PostgreSQL (PGlite, WebAssembly) persisted in a folder. One process owns the folder; PGlite
 * is one session, so there is no pool: every query and transaction of this process, and every client of
 * its socket (see `serve`), takes the session in turn.
 */
export class PgliteDb implements Db {
  private readonly session = new SessionLock();
  private server: PgliteSocketServer | null = null;

  constructor(
    private readonly pg: PGlite,
    private readonly lock: Lock | null = null,
    private readonly command: string | null = null,
  ) {}

  /**
   * Opens (creating if needed) the database in `dir`, locked to this process; `null` keeps it in memory
   * (tests, `scan`). Throws EmbeddedDatabaseBusyError when another live process has the folder open.
   * `command` names what this process runs, for the message another process gets.
   */
  static async open(dir: string | null, options: { command?: string } = {}): Promise<PgliteDb> {
    if (dir === null) return new PgliteDb(await PGlite.create());
    mkdirSync(dir, { recursive: true });
    const lock = acquireLock(dir, options.command ?? null);
    try {
      return new PgliteDb(await PGlite.create(dir), lock, options.command ?? null);
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /**
   * Serves this database to the machine's other processes (the CLI beside a running service) on a Unix
   * socket in `dir`, and records it in the lock file so they find it. Returns the socket's path.
   */
  async serve(dir: string, onError?: (err: Error) => void): Promise<string> {
    if (this.server) return this.server.socketPath;
    let socketDir = resolve(dir);
    if (Buffer.byteLength(socketPathIn(socketDir)) > MAX_SOCKET_PATH) socketDir = mkdtempSync(join(tmpdir(), 'framewatch-'));
    this.server = await servePgliteSocket(this.pg, this.session, socketDir, onError);
    this.lock?.update({ command: this.command, socket: this.server.socketPath });
    return this.server.socketPath;
  }

  query<R extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }> {
    return this.session.run(() => runQuery<R>(this.pg, sql, params));
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.session.run(() => this.pg.transaction((tx) => fn(new TransactionDb((sql, params) => runQuery(tx, sql, params), (sql) => tx.exec(sql)))));
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    try {
      const server = this.server;
      this.server = null;
      if (server) {
        await server.close();
        this.lock?.update({ command: this.command, socket: null });
      }
      // Clients cut off above hand the session back after rolling back what they left open.
      await this.session.run(async () => {
        if (!this.pg.closed) await this.pg.close();
      });
    } finally {
      this.lock?.release();
    }
  }
}
