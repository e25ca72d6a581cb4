import { chmodSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

/**
 * One session at a time on the embedded database. PGlite is a single PostgreSQL session: whoever holds this
 * lock owns it, the service's own queries and transactions as much as a socket client's.
 */
export class SessionLock {
  private tail: Promise<void> = Promise.resolve();

  /** Resolves, once every earlier holder has released, with this holder's release function. */
  acquire(): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => released);
    return previous.then(() => release);
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** A client idle inside an open transaction holds the whole database: it is cut off after this long. */
const IDLE_IN_TRANSACTION_MS = 30_000;

/** PostgreSQL protocol messages this server writes itself. */
const SYNC = Uint8Array.from([0x53, 0, 0, 0, 4]);
function queryMessage(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, 'utf8');
  const out = Buffer.alloc(5 + text.length);
  out.write('Q', 0, 'latin1');
  out.writeInt32BE(4 + text.length, 1);
  text.copy(out, 5);
  return out;
}

/** The transaction status of the last ReadyForQuery ('Z') in a backend reply: I idle, T in a transaction, E failed one; null when none. */
export function lastReadyStatus(reply: Uint8Array): 'I' | 'T' | 'E' | null {
  let status: 'I' | 'T' | 'E' | null = null;
  const view = Buffer.from(reply.buffer, reply.byteOffset, reply.byteLength);
  for (let at = 0; at + 5 <= view.length; ) {
    const length = view.readInt32BE(at + 1);
    if (view[at] === 0x5a && length === 5 && at + 5 < view.length) status = String.fromCharCode(view[at + 5] ?? 0x49) as 'I' | 'T' | 'E';
    at += 1 + length;
  }
  return status;
}

/**
 * One client connection: its messages are framed and passed to PGlite in order. The client takes the
 * session lock at its first message and keeps it until PGlite reports the session idle again (after Sync or
 * a simple query, outside a transaction), so an extended-protocol exchange or a transaction is never split
 * by another client or by the service's own queries.
 */
class Connection {
  private buffer = Buffer.alloc(0);
  private started = false;
  private release: (() => void) | null = null;
  private chain: Promise<void> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly pg: PGlite,
    private readonly lock: SessionLock,
    private readonly onError: (err: Error) => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.chain = this.chain.then(() => this.drain()).catch((err: unknown) => this.fail(err as Error));
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.chain = this.chain.then(() => this.cleanUp()).catch((err: unknown) => this.onError(err as Error));
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const message = this.nextMessage();
      if (message === null) return;
      if (message === 'handled') continue;
      await this.execute(message);
    }
  }

  /** The next complete message, 'handled' for one answered here (SSL request), or null when more bytes are needed. */
  private nextMessage(): Uint8Array | 'handled' | null {
    if (!this.started) {
      if (this.buffer.length < 8) return null;
      const length = this.buffer.readInt32BE(0);
      if (this.buffer.length < length) return null;
      const code = this.buffer.readInt32BE(4);
      const message = this.buffer.subarray(0, length);
      this.buffer = this.buffer.subarray(length);
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
        // No encryption on a local socket: 'N' tells the client to go on in plain text.
        this.socket.write('N');
        return 'handled';
      }
      if (code === CANCEL_REQUEST) {
        // PGlite has no backend process to interrupt; the protocol expects no answer.
        this.socket.end();
        return 'handled';
      }
      this.started = true;
      return Uint8Array.from(message);
    }
    if (this.buffer.length < 5) return null;
    const length = 1 + this.buffer.readInt32BE(1);
    if (this.buffer.length < length) return null;
    const message = Uint8Array.from(this.buffer.subarray(0, length));
    this.buffer = this.buffer.subarray(length);
    return message;
  }

  private async execute(message: Uint8Array): Promise<void> {
    clearTimeout(this.idleTimer);
    if (message[0] === 0x58) {
      // Terminate: the client is leaving.
      this.socket.end();
      return;
    }
    this.release ??= await this.lock.acquire();
    if (this.closed) {
      // Gone while waiting for its turn; cleanUp hands the session on.
      return;
    }
    const reply = await this.pg.execProtocolRaw(message);
    if (reply.length > 0 && !this.socket.destroyed) this.socket.write(reply);
    const status = lastReadyStatus(reply);
    if (status === 'I') this.unlock();
    else this.idleTimer = setTimeout(() => this.socket.destroy(), IDLE_IN_TRANSACTION_MS);
  }

  /** The client left (or was cut off) while owning the session: finish its exchange and roll back what it left open. */
  private async cleanUp(): Promise<void> {
    clearTimeout(this.idleTimer);
    if (!this.release) return;
    try {
      await this.pg.execProtocolRaw(SYNC);
      if (this.pg.isInTransaction()) await this.pg.execProtocolRaw(queryMessage('ROLLBACK'));
    } finally {
      this.unlock();
    }
  }

  private unlock(): void {
    const release = this.release;
    this.release = null;
    release?.();
  }

  private fail(err: Error): void {
    this.onError(err);
    this.socket.destroy();
  }
}

export interface PgliteSocketServer {
  /** The socket file clients connect to (`<dir>/.s.PGSQL.5432`, as libpq and pg name it). */
  socketPath: string;
  close(): Promise<void>;
}

/** PostgreSQL's name for a server socket in a folder; clients give the folder as host and 5432 as port. */
export const SOCKET_PORT = 5432;
export function socketPathIn(dir: string): string {
  return `${dir}/.s.PGSQL.${SOCKET_PORT}`;
}

/**
 * Serves an open PGlite database to other processes of this machine on a Unix socket, speaking the
 * PostgreSQL wire protocol, so any PostgreSQL client (framewatch's own CLI through pg) can use it while
 * this process holds it. Only the owner of the data folder can connect (the socket is mode 0600).
 *
 * Why not `@electric-sql/pglite-socket`: its releases pin one exact PGlite version each (0.2.18 wants
 * 0.5.15, we run 0.5.16) and seven PGlite extensions as required peers, and its queue does not keep a
 * client's extended-protocol exchange or transaction apart from the host process's own queries.
 */
export async function servePgliteSocket(pg: PGlite, lock: SessionLock, dir: string, onError: (err: Error) => void = () => undefined): Promise<PgliteSocketServer> {
  const socketPath = socketPathIn(dir);
  // The caller holds the data folder's lock, so a socket file left here belongs to a process that died.
  rmSync(socketPath, { force: true });
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    new Connection(socket, pg, lock, onError);
  });
  server.on('error', onError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(socketPath, 0o600);
  return {
    socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
