import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/** The header the desk sends its CSRF token in; a cross-site form or `no-cors` fetch cannot set it. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * The CSRF token of a session: an HMAC of its id under a server secret, so it needs no storage and the
 * page's copy is worthless without the session cookie (and the cookie without the page).
 */
export function csrfTokenFor(sessionId: string, secret: string): string {
  return createHmac('sha256', `framewatch-csrf:${secret}`).update(sessionId).digest('base64url');
}

export function csrfTokenMatches(given: string | undefined, sessionId: string, secret: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(csrfTokenFor(sessionId, secret));
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Methods that change state; only these need proof that the request comes from the desk itself. */
export function isUnsafeMethod(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

/**
 * Whether a browser sent this request from another origin. Fetch Metadata decides when present
 * (`Sec-Fetch-Site`, sent by every current browser: only `same-origin`, or `none` for a request the user
 * typed, pass); otherwise `Origin` must be this server's. Programs other than browsers send neither and
 * pass: they carry no ambient cookie to abuse. Another port on the same host is another origin, though
 * the same *site*, so SameSite cookies alone would not stop it.
 */
export function isCrossOrigin(req: FastifyRequest, trustedOrigins: string[]): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  return !trustedOrigins.includes(origin) && origin !== `${req.protocol}://${req.host}`;
}
