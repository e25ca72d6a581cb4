/**
 * The configured database cannot be used: one sentence saying what failed, why and what to do, instead of
 * a driver's stack trace. `transient` failures (the server does not answer) may go away by themselves, so
 * a service waits for them; the others (no such database, a refused user) need someone to act.
 */
export class DatabaseUnavailableError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/** The parts of a connection a person recognises, with the password hidden. */
export interface ConnectionTarget {
  /** `postgres://user@host:port/db`, no password. */
  display: string;
  host: string;
  port: string;
  user: string;
  database: string;
}

export function connectionTarget(parts: { host: string; port: number | string; user: string; database: string }): ConnectionTarget {
  const host = parts.host || 'localhost';
  const port = String(parts.port || 5432);
  return { display: `postgres://${parts.user}@${host}:${port}/${parts.database}`, host, port, user: parts.user, database: parts.database };
}

const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPIPE', '57P03', '53300']);

/** Turns a driver error met while connecting into a DatabaseUnavailableError; anything else is returned as is. */
export function describeConnectError(err: unknown, target: ConnectionTarget): Error {
  if (!(err instanceof Error)) return new Error(String(err));
  const code = (err as { code?: string }).code ?? '';
  const at = `PostgreSQL at ${target.display}`;
  const fix = 'fix DATABASE_URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE)';
  let message: string | null = null;
  switch (code) {
    case '3D000':
      message = `${at}: database "${target.database}" does not exist; create it (createdb -h ${target.host} -p ${target.port} -U ${target.user} ${target.database}, or CREATE DATABASE "${target.database}") or ${fix}`;
      break;
    case '28P01':
    case '28000':
      message = `${at} refused user "${target.user}": ${err.message}; ${fix}`;
      break;
    case 'ECONNREFUSED':
      message = `${at} refused the connection (nothing listens on ${target.host}:${target.port}); start PostgreSQL or ${fix}`;
      break;
    case 'ENOTFOUND':
      message = `${at}: the host "${target.host}" is unknown; ${fix}`;
      break;
    case '57P03':
      message = `${at} is starting up; try again in a moment`;
      break;
    default:
      if (TRANSIENT_CODES.has(code) || /timeout|terminated unexpectedly/i.test(err.message)) {
        message = `${at} does not answer (${code || err.message}); check that the server is up and reachable, or ${fix}`;
      } else if (/^(08|28|3D|53|57)/.test(code)) {
        message = `${at}: ${err.message}; ${fix}`;
      }
  }
  if (message === null) return err;
  const transient = TRANSIENT_CODES.has(code) || /timeout|terminated unexpectedly/i.test(err.message);
  return new DatabaseUnavailableError(message, transient, { cause: err });
}

/**
 * Socket errors of a connection that could not be made or broke off (node:net, DNS): the server is away for
 * now. ENOENT counts only for a connect (the embedded database's socket file is gone with its process).
 */
const LINK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);
/**
 * SQLSTATEs of a server that cannot take work now, whatever the statement: class 08 (connection exception),
 * 57P01 and 57P02 (terminated by an administrator or a crash), 57P03 ("the database system is starting up"
 * or "shutting down"), 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATES = /^(?:08\w{3}|57P0[123]|53300)$/;
/** What pg says when a connection breaks or cannot be had within `connectionTimeoutMillis`. */
const UNAVAILABLE_MESSAGES = /connection terminated|timeout exceeded when trying to connect|connection error and is not queryable|the database system is (?:starting up|shutting down|in recovery mode)|server closed the connection unexpectedly/i;

/**
 * Why `err` means the database is unavailable for now (so a job should wait for it, not spend an attempt),
 * or null when the error belongs to the statement or the job (a constraint, a syntax error, a bug). Only the
 * error itself and the members of an AggregateError (net's happy-eyeballs connect) are read, never `cause`:
 * a webhook's or a page's own network failure, wrapped by the fetcher, is not the database's.
 */
export function databaseUnavailableReason(err: unknown): string | null {
  if (err instanceof DatabaseUnavailableError) return err.transient ? err.message : null;
  if (!(err instanceof Error)) return null;
  const { code, syscall } = err as { code?: unknown; syscall?: unknown };
  if (typeof code === 'string') {
    if (LINK_CODES.has(code) || (code === 'ENOENT' && syscall === 'connect')) return `${code}: ${err.message}`;
    if (UNAVAILABLE_SQLSTATES.test(code)) return `${code}: ${err.message}`;
  }
  if (UNAVAILABLE_MESSAGES.test(err.message)) return err.message;
  if (err instanceof AggregateError) {
    for (const inner of err.errors) {
      const reason = databaseUnavailableReason(inner);
      if (reason) return reason;
    }
  }
  return null;
}
