/** Why a fetch failed. Non-2xx statuses are not errors: the caller reads `status` and decides. */
export type FetchErrorCode =
  | 'blocked-address'
  | 'timeout'
  | 'too-large'
  | 'too-many-redirects'
  | 'dns'
  | 'network'
  | 'bad-url'
  | 'unsupported-scheme';

/**
 * The one error type the safe fetcher throws (besides the caller's own abort reason). `code` lets callers
 * classify (a `blocked-address` or `bad-url` is permanent, a `timeout` or `network` transient); `url` is
 * the URL of the hop that failed, which after redirects may differ from the requested one.
 */
export class FetchError extends Error {
  override readonly name = 'FetchError';

  constructor(
    readonly code: FetchErrorCode,
    readonly url: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Raised inside the DNS lookup hook, before the URL is known; the fetcher rewraps it with the URL. */
export class BlockedAddressError extends Error {
  override readonly name = 'BlockedAddressError';

  constructor(
    readonly address: string,
    readonly range: string,
    readonly hostname: string,
  ) {
    super(`refused ${address} (${range})${hostname !== address ? ` for host ${hostname}` : ''}`);
  }
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME', 'ENODATA', 'ESERVFAIL']);

/** Turns whatever undici, node:net, node:dns or node:zlib threw into a {@link FetchError} for `url`. */
export function toFetchError(err: unknown, url: string): FetchError {
  if (err instanceof FetchError) return err;
  const blocked = findCause(err, (e): e is BlockedAddressError => e instanceof BlockedAddressError);
  if (blocked) return new FetchError('blocked-address', url, `${blocked.message}: ${url}`, { cause: err });
  const code = errorCode(err);
  if (code && DNS_CODES.has(code)) {
    return new FetchError('dns', url, `could not resolve ${hostOf(url)} (${code}): ${url}`, { cause: err });
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new FetchError('timeout', url, `timed out (${code}): ${url}`, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new FetchError('network', url, `${code ? `${code}: ` : ''}${message}: ${url}`, { cause: err });
}

function errorCode(err: unknown): string | undefined {
  const found = findCause(err, (e): e is Error & { code: string } => typeof (e as { code?: unknown }).code === 'string');
  return found?.code;
}

/** Walks `cause` chains and AggregateError members (net's happy-eyeballs connect reports those). */
function findCause<T extends Error>(err: unknown, match: (e: Error) => e is T, depth = 0): T | undefined {
  if (!(err instanceof Error) || depth > 5) return undefined;
  if (match(err)) return err;
  if (err instanceof AggregateError) {
    for (const inner of err.errors) {
      const hit = findCause(inner, match, depth + 1);
      if (hit) return hit;
    }
  }
  return findCause(err.cause, match, depth + 1);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
