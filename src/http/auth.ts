import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';

/**
 * Who may call a route, decided on the route itself (never on the request's raw path, which the router
 * decodes and normalises differently: `/%61pi/articles` matches `/api/articles`).
 * - `token` (the default for every route that says nothing): bearer token in the Authorization header;
 * - `token-or-query`: the same, or `?token=` for clients that cannot send a header (JSON Feed readers);
 * - `public`: no token (health, metrics, the OpenAPI document);
 * - `scope`: the route's own plugin scope authenticates it with a hook of its own (the queue dashboard).
 */
export type RouteAccess = 'public' | 'token' | 'token-or-query' | 'scope';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route; unset means `token` (deny by default). */
    access?: RouteAccess;
  }
}

/** The access a request's matched route declares; `token` when it declares none. */
export function accessOf(req: FastifyRequest): RouteAccess {
  return req.routeOptions.config.access ?? 'token';
}

/**
 * An onRoute hook for a plugin scope whose routes all share one access level (the public probes, the
 * API, the JSON Feeds). A route that sets its own `config.access` keeps it.
 */
export function routesWithAccess(access: RouteAccess): (route: RouteOptions) => void {
  return (route) => {
    // In place: hooks that ran earlier (the OpenAPI collector) keep a reference to these options.
    const config = (route.config ??= {}) as { access?: RouteAccess };
    config.access ??= access;
  };
}

/**
 * Compares a presented token with the configured one in constant time: both are hashed first, so the
 * comparison is over equal-length digests and leaks neither content nor length.
 */
export function tokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
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
 * An onRequest hook answering 401 unless the matched route is public (or authenticated by its own scope)
 * or the request carries the right token. With no token configured everything is open (a single machine
 * on a private network).
 */
export function bearerAuth(apiToken: string | null) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (apiToken === null) return;
    const access = accessOf(req);
    if (access === 'public' || access === 'scope') return;
    const given = presentedToken(req, access === 'token-or-query');
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
