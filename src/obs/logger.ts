import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stderr (stdout belongs to CLI output). Secrets are redacted wherever they appear
 * under these keys.
 */
export function createLogger(level: string, bindings: Record<string, unknown> = {}, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'framewatch', pid: process.pid, ...bindings },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'secret',
          '*.secret',
          'token',
          '*.token',
          'authorization',
          '*.authorization',
          'headers.authorization',
          '*.headers.authorization',
          'password',
          '*.password',
          'apiToken',
          '*.apiToken',
        ],
        censor: '[redacted]',
      },
      serializers: { err: pino.stdSerializers.err },
      // Credentials inside URLs (a feed or proxy configured as https://user:pass@host) can reach any field,
      // including error messages; scrub them wherever they appear.
      formatters: { log: (record) => scrubUrlCredentials(record) as Record<string, unknown> },
    },
    destination ?? pino.destination({ fd: 2, sync: false }),
  );
}

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*:[^\s/@]*@/gi;

/** `text` with every `scheme://user:password@` in it reduced to `scheme://[redacted]@` (error messages, output). */
export function scrubCredentialsInText(text: string): string {
  return text.replace(URL_CREDENTIALS, '$1[redacted]@');
}

/** A copy of a log value with `scheme://user:password@` reduced to `scheme://[redacted]@` in every string. */
export function scrubUrlCredentials(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubCredentialsInText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubUrlCredentials(v, depth + 1));
  if (value instanceof Error) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubUrlCredentials(v, depth + 1)]));
}

/** Removes credentials from a URL before it is logged or stored. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = u.username ? 'redacted' : '';
      u.password = u.password ? 'redacted' : '';
    }
    return u.toString();
  } catch {
    // Not a URL to WHATWG (redis-sentinel:// and redis-cluster:// list several hosts): the userinfo goes anyway.
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/]*)@/i, (_all, scheme: string, auth: string) => {
      const colon = auth.indexOf(':');
      const user = colon >= 0 ? auth.slice(0, colon) : auth;
      return `${scheme}${user ? 'redacted' : ''}${colon >= 0 ? ':redacted' : ''}@`;
    });
  }
}

/** A logger that writes nothing, for tests and library use. */
export const silentLogger: Logger = pino({ level: 'silent' });
