import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A signed-in browser: who it acts as, and since when. */
export interface Session {
  id: string;
  /** Who the session acts for; with one API token, a fingerprint of that token (see tokenPrincipal). */
  principal: string;
  createdAt: string;
}

/**
 * Server-side sessions for browsers, which cannot send the bearer token themselves (the review desk, the
 * queue dashboard). The cookie holds only a random id; revoking it on the server ends the session at once.
 */
export interface SessionStore {
  /** A new session for `principal`; returns its id (the cookie's value). */
  create(principal: string): Promise<string>;
  /** The live session with this id, or null (unknown, expired, revoked or not an id at all). */
  lookup(id: string): Promise<Session | null>;
  revoke(id: string): Promise<void>;
}

/** 32 random bytes, base64url: what create() hands out and lookup() accepts. */
const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Sessions in Redis, each a key with a TTL that every lookup renews (idle expiry). Keys hold a hash of the
 * id, not the id itself, so reading Redis does not yield a cookie to replay.
 */
export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly options: { prefix: string; ttlMs: number },
  ) {}

  private key(id: string): string {
    return `${this.options.prefix}:session:${createHash('sha256').update(id).digest('hex')}`;
  }

  async create(principal: string): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    const record: Omit<Session, 'id'> = { principal, createdAt: new Date().toISOString() };
    await this.redis.set(this.key(id), JSON.stringify(record), 'PX', this.options.ttlMs);
    return id;
  }

  async lookup(id: string): Promise<Session | null> {
    if (!ID_PATTERN.test(id)) return null;
    const key = this.key(id);
    const [[, raw], [, renewed]] = (await this.redis.multi().get(key).pexpire(key, this.options.ttlMs).exec()) as [[Error | null, string | null], [Error | null, number]];
    if (raw === null || renewed !== 1) return null;
    try {
      const record = JSON.parse(raw) as Omit<Session, 'id'>;
      return typeof record.principal === 'string' ? { id, principal: record.principal, createdAt: String(record.createdAt) } : null;
    } catch {
      return null;
    }
  }

  async revoke(id: string): Promise<void> {
    if (ID_PATTERN.test(id)) await this.redis.del(this.key(id));
  }
}

/**
 * The principal a session made from the API token acts for: a fingerprint of the token, so sessions made
 * with an earlier token stop working when the token is changed.
 */
export function tokenPrincipal(token: string): string {
  return `token:${createHash('sha256').update(`framewatch-principal:${token}`).digest('hex').slice(0, 24)}`;
}
