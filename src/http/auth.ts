import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { CSRF_HEADER, csrfTokenMatches, isCrossOrigin, isUnsafeMethod } from './csrf.js';
import { sessionIdOf, tokenSubject, type Session, type SessionStore } from './sessions.js';

/**
 * Who may call a route, decided on the route itself (never on the request's raw path, which the router
 * decodes and normalises differently: `/%61pi/articles` matches `/api/articles`).
 * - `token` (the default for every route that says nothing): bearer token in the Authorization header;
 * - `token-or-query`: the same, or `?token=` for clients that cannot send a header (JSON Feed readers);
 * - `token-or-session`: the same, or a browser session (cookie from the sign-in page); a state-changing
 *   request on a session must also carry the session's CSRF token and come from this origin;
 * - `public`: no token (health, metrics, the OpenAPI document, the sign-in page, the desk's static files);
 * - `scope`: the route's own plugin scope authenticates it with a hook of its own (the queue dashboard).
 */
export type RouteAccess = 'public' | 'token' | 'token-or-query' | 'token-or-session' | 'scope';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route; unset means `token` (deny by default). */
    access?: RouteAccess;
    /** A page for people: a refused browser navigation is sent to the sign-in page instead of a 401. */
    signInPage?: boolean;
  }
  interface FastifyRequest {
    /** The browser session the request was let in on (null for bearer tokens and open servers). */
    session: Session | null;
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

function bearerOf(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  return /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? '';
}

export interface AccessOptions {
  /** Null leaves everything open (a single machine on a private network); cross-origin writes are still refused. */
  apiToken: string | null;
  /** Browser sessions; null when no token is set (nothing to sign in to). */
  sessions: SessionStore | null;
  /** Origins besides the request's own that the desk is served from (the public URL behind a proxy). */
  trustedOrigins: string[];
}

/**
 * An onRequest hook enforcing each route's declared access: 401 without valid credentials (or, for a
 * page, a redirect to the sign-in page), 403 for a state-changing request a browser sent from another
 * origin or without the session's CSRF token. Bearer-token requests need no CSRF token: a browser never
 * adds an Authorization header by itself.
 */
export function accessControl(options: AccessOptions) {
  const { apiToken, sessions } = options;
  const subject = apiToken === null ? null : tokenSubject(apiToken);
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    req.session = null;
    const access = accessOf(req);
    if (access === 'public' || access === 'scope') return;
    const bearer = bearerOf(req);
    if (bearer === null && isUnsafeMethod(req.method) && isCrossOrigin(req, options.trustedOrigins)) return void (await forbidden(reply, 'a cross-origin request may not change anything'));
    if (apiToken === null) return;
    if (bearer !== null) {
      if (tokenMatches(bearer, apiToken)) return;
      return void (await unauthorized(req, reply));
    }
    if (access === 'token-or-query') {
      const token = (req.query as Record<string, unknown> | undefined)?.token;
      if (typeof token === 'string' && tokenMatches(token, apiToken)) return;
    }
    if (access === 'token-or-session' && sessions) {
      const id = sessionIdOf(req);
      const session = id ? await sessions.lookup(id) : null;
      if (session && session.subject === subject) {
        if (isUnsafeMethod(req.method) && !csrfTokenMatches(headerValue(req, CSRF_HEADER), session.csrfToken)) {
          return void (await forbidden(reply, `the ${CSRF_HEADER} header is missing or wrong`));
        }
        req.session = session;
        return;
      }
    }
    await unauthorized(req, reply);
  };
}

function headerValue(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function unauthorized(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const navigation = (req.method === 'GET' || req.method === 'HEAD') && (req.headers.accept ?? '').includes('text/html');
  if (req.routeOptions.config.signInPage && navigation) {
    await reply.redirect(`/sign-in?next=${encodeURIComponent(req.url)}`, 303);
    return;
  }
  await reply
    .code(401)
    .header('www-authenticate', 'Bearer realm="framewatch"')
    .send({ statusCode: 401, error: 'Unauthorized', message: 'a valid bearer token (or a signed-in session) is required' });
}

async function forbidden(reply: FastifyReply, message: string): Promise<void> {
  await reply.code(403).send({ statusCode: 403, error: 'Forbidden', message });
}

/** The URL with any `token` query parameter masked, for logs. */
export function redactTokenInUrl(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}
