import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { tokenMatches } from '../auth.js';
import { isCrossOrigin } from '../csrf.js';
import { DESK_PAGE_HEADERS, signInPage, type DeskAssets } from '../desk-page.js';
import { clearedSessionCookie, isSecureRequest, sessionCookie, sessionIdOf, tokenSubject, type SessionStore } from '../sessions.js';

export interface SignInDeps {
  apiToken: string | null;
  sessions: SessionStore | null;
  assets: DeskAssets | null;
  /** Origins the desk is served from besides the request's own (the public URL). */
  trustedOrigins: string[];
  /** How long a session lasts after signing in (api.sessionTtl); the cookie's Max-Age. */
  sessionTtlMs: number;
}

/** Sign-in attempts per client per minute: a token is long, but guessing costs nothing else. */
const SIGN_IN_ATTEMPTS_PER_MINUTE = 10;

/** Where to go after signing in: a path on this server only (never `//host` or another scheme). */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/sign-in')) return '/';
  return [...next].some((c) => c.charCodeAt(0) < 0x20) ? '/' : next;
}

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).headers(DESK_PAGE_HEADERS).type('text/html; charset=utf-8').send(body);
}

/**
 * `GET /sign-in` (the form) and `POST /sign-in` (token in, session cookie out); public routes that check
 * the token themselves. A sign-in posted from another origin is refused (login CSRF). Without a token
 * configured there is nothing to sign in to: both send the browser to the desk.
 */
export function signInRoutes(deps: SignInDeps): FastifyPluginAsync {
  return async (app) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8192 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    app.get('/sign-in', { schema: { hide: true } }, async (req, reply) => {
      const next = safeNext((req.query as Record<string, unknown>).next);
      if (deps.apiToken === null || !deps.sessions) return reply.redirect(next, 303);
      const id = sessionIdOf(req);
      const session = id ? await deps.sessions.lookup(id) : null;
      if (session && session.subject === tokenSubject(deps.apiToken)) return reply.redirect(next, 303);
      return html(reply, 200, signInPage(deps.assets, { next }));
    });

    app.post('/sign-in', { schema: { hide: true }, config: { rateLimit: { max: SIGN_IN_ATTEMPTS_PER_MINUTE, timeWindow: 60_000 } } }, async (req, reply) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const next = safeNext(body.next);
      if (deps.apiToken === null || !deps.sessions) return reply.redirect(next, 303);
      if (isCrossOrigin(req, deps.trustedOrigins)) return html(reply, 403, signInPage(deps.assets, { next, error: 'Sign in from this page, not from another site.' }));
      const token = typeof body.token === 'string' ? body.token : '';
      if (!token || !tokenMatches(token, deps.apiToken)) {
        req.log.warn({ ip: req.ip }, 'sign-in refused: wrong token');
        return html(reply, 401, signInPage(deps.assets, { next, error: 'That is not the API token of this server.' }));
      }
      // A fresh id at every sign-in (no fixation); the one the browser had, if any, is ended.
      const old = sessionIdOf(req);
      if (old) await deps.sessions.revoke(old);
      const { id } = await deps.sessions.create(tokenSubject(deps.apiToken));
      return reply.header('set-cookie', sessionCookie(id, { secure: isSecureRequest(req), maxAgeMs: deps.sessionTtlMs })).redirect(next, 303);
    });
  };
}

/** `POST /sign-out`: ends the session on the server and clears the cookie (behind the session and CSRF checks). */
export function signOutRoutes(deps: SignInDeps): FastifyPluginAsync {
  return async (app) => {
    app.post('/sign-out', { schema: { hide: true } }, async (req, reply) => {
      const id = sessionIdOf(req);
      if (req.session && id && deps.sessions) await deps.sessions.revoke(id);
      return reply.header('set-cookie', clearedSessionCookie({ secure: isSecureRequest(req) })).code(204).send();
    });
  };
}
