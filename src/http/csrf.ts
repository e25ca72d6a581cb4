import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/** The header the desk sends its CSRF token in; a cross-site form or `no-cors` fetch cannot set it. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Whether a request's CSRF token is its session's (a random secret kept with the session and written into
 * the desk's page): compared in constant time over digests, so neither content nor length leaks.
 */
export function csrfTokenMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
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
