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
