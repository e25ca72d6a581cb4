import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Compares a presented token with the configured one in constant time: both are hashed first, so the
 * comparison is over equal-length digests and leaks neither content nor length.
 */
export function tokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Paths that need the token: the API, and the subscribable JSON Feeds (which also take `?token=`). */
export function needsToken(path: string): { required: boolean; queryTokenAllowed: boolean } {
  const api = path === '/api' || path.startsWith('/api/');
  const feeds = path.startsWith('/feeds/');
  return { required: api || feeds, queryTokenAllowed: feeds };
}

function presentedToken(req: FastifyRequest, queryTokenAllowed: boolean): string | null {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(.+)$/i.exec(header);
    return match?.[1]?.trim() ?? null;
  }
  if (queryTokenAllowed) {
    const token = (req.query as Record<string, unknown> | undefined)?.token;
    if (typeof token === 'string') return token;
  }
  return null;
}

/**
 * An onRequest hook answering 401 when a protected path comes without the right bearer token. With no
 * token configured everything is open (a single machine on a private network).
 */
export function bearerAuth(apiToken: string | null) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (apiToken === null) return;
    const { required, queryTokenAllowed } = needsToken(req.url.split('?')[0] ?? req.url);
    if (!required) return;
    const given = presentedToken(req, queryTokenAllowed);
    if (given !== null && tokenMatches(given, apiToken)) return;
    await reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="framewatch"')
      .send({ statusCode: 401, error: 'Unauthorized', message: 'a valid bearer token is required' });
  };
}

/** The URL with any `token` query parameter masked, for logs. */
export function redactTokenInUrl(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}
