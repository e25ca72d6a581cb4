/** Socket errors of a connection that could not be made or broke off: the server is away for now. */
const LINK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);
/**
 * Replies of a server that cannot serve the command now, whatever the command: loading its data after a
 * restart, a replica not yet promoted after a failover (READONLY, MASTERDOWN), a cluster without a quorum
 * or a slot in migration (CLUSTERDOWN, TRYAGAIN), a script hogging it (BUSY).
 */
const UNAVAILABLE_REPLIES = /^(?:LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|BUSY)\b/;
/** What ioredis says when it has no connection to send a command on, or gave up on one. */
const UNAVAILABLE_MESSAGES = /Connection is closed|Stream isn't writeable|Reached the max retries per request limit|None of startup nodes is available|Failed to refresh slots cache|Too many Cluster redirections|Cluster isn't ready|All sentinels are unreachable/;
const UNAVAILABLE_NAMES = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError']);

/**
 * Why `err` means Redis is unavailable for now (so a job should wait for it, not spend an attempt), or null
 * when the error is the command's own (a wrong type, a script error) or not Redis's at all. Only the error
 * itself and the members of an AggregateError are read, never `cause`: a page's or a webhook's network
 * failure, wrapped by the fetcher, must not pass for Redis's.
 */
export function redisUnavailableReason(err: unknown): string | null {
  if (!(err instanceof Error)) return null;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && LINK_CODES.has(code)) return `${code}: ${err.message}`;
  if (UNAVAILABLE_NAMES.has(err.name) || UNAVAILABLE_REPLIES.test(err.message) || UNAVAILABLE_MESSAGES.test(err.message)) return err.message;
  if (err instanceof AggregateError) {
    for (const inner of err.errors) {
      const reason = redisUnavailableReason(inner);
      if (reason) return reason;
    }
  }
  return null;
}
