import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { RedisClient } from '../queues/connection.js';

/** What a browser session stands for, kept server-side; the browser holds only the random id. */
export interface Session {
  /** Who signed in, e.g. `api-token:<fingerprint>`; whoever checks the session decides what it must be. */
  subject: string;
  /** A random secret per session for CSRF protection of forms (double-submit or a hidden field). */
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

/** Server-side browser sessions: the queue dashboard (`?token=` once) and the review desk (its sign-in page). */
export interface SessionStore {
  /** A new session for `subject`; the id goes into the cookie and nowhere else. */
  create(subject: string): Promise<{ id: string; session: Session }>;
  /** The live session with this id, or null (unknown, expired, revoked or malformed). */
  lookup(id: string): Promise<Session | null>;
  /** Ends a session at once (sign-out). */
  revoke(id: string): Promise<void>;
}

// 32 random bytes in base64url: 43 characters, 256 bits.
const ID_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/**
 * {@link SessionStore} in Redis: one key per session that expires with it. The key holds a hash of the
 * id, not the id, so reading Redis does not hand out usable cookies.
 */
export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly options: { prefix: string; ttlMs: number; now?: () => Date },
  ) {}

  private key(id: string): string {
    return `${this.options.prefix}:session:${createHash('sha256').update(id).digest('base64url')}`;
  }

  async create(subject: string): Promise<{ id: string; session: Session }> {
    const id = randomBytes(32).toString('base64url');
    const now = this.options.now?.() ?? new Date();
    const session: Session = {
      subject,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.options.ttlMs).toISOString(),
    };
    await this.redis.set(this.key(id), JSON.stringify(session), 'PX', this.options.ttlMs);
    return { id, session };
  }

  async lookup(id: string): Promise<Session | null> {
    if (!ID_FORMAT.test(id)) return null;
    const stored = await this.redis.get(this.key(id));
    if (stored === null) return null;
    try {
      return JSON.parse(stored) as Session;
    } catch {
      return null;
    }
  }

  async revoke(id: string): Promise<void> {
    if (ID_FORMAT.test(id)) await this.redis.del(this.key(id));
  }
}

/**
 * The subject of sessions signed in with this token: a fingerprint of it, so that changing the token ends
 * the sessions made with the old one.
 */
export function tokenSubject(token: string): string {
  return `api-token:${createHash('sha256').update(`framewatch-session:${token}`).digest('hex').slice(0, 16)}`;
}

export const SESSION_COOKIE = 'framewatch_session';

/** The session id the request's Cookie header carries, or null. */
export function sessionIdOf(req: FastifyRequest): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=');
  }
  return null;
}

/**
 * Whether the browser reached us over HTTPS: the connection itself, or, with `api.trustProxy` set, the
 * proxy's `X-Forwarded-Proto` (fastify reads it only for trusted proxies).
 */
export function isSecureRequest(req: FastifyRequest): boolean {
  return req.protocol === 'https';
}

/**
 * The Set-Cookie value for a session: HttpOnly (no script reads it), SameSite=Strict (no other site's page
 * sends it), `Secure` when the request came over HTTPS, for the whole site (the review desk will share it).
 */
export function sessionCookie(id: string, options: { secure: boolean; maxAgeMs: number }): string {
  return `${SESSION_COOKIE}=${id}; Path=/; Max-Age=${Math.floor(options.maxAgeMs / 1000)}; HttpOnly; SameSite=Strict${options.secure ? '; Secure' : ''}`;
}

/** The Set-Cookie value that removes the session cookie (sign-out). */
export function clearedSessionCookie(options: { secure: boolean }): string {
  return `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${options.secure ? '; Secure' : ''}`;
}
