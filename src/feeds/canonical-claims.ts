import type { RedisClient } from '../queues/connection.js';
import { shortHash } from '../lib/short-hash.js';

/**
 * Which article holds a page's `<link rel=canonical>` address. Two feed links that differ (tracking
 * parameters the canonical rules don't know, mobile and desktop hosts, syndication partners) but lead
 * to pages naming the same canonical address are one article: the first to claim it keeps it.
 */
export interface CanonicalClaims {
  /** Claims `canonical` for `articleId`; returns the other article already holding it, or null. */
  claim(canonical: string, articleId: string): Promise<string | null>;
}

/** A month: long past the time the same story keeps reappearing in feeds. */
const DEFAULT_WINDOW_MS = 30 * 86_400_000;

export class RedisCanonicalClaims implements CanonicalClaims {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly windowMs = DEFAULT_WINDOW_MS,
  ) {}

  async claim(canonical: string, articleId: string): Promise<string | null> {
    const key = `${this.prefix}:canonical:${shortHash(canonical)}`;
    if ((await this.redis.set(key, articleId, 'PX', this.windowMs, 'NX')) === 'OK') return null;
    const holder = await this.redis.get(key);
    return holder && holder !== articleId ? holder : null;
  }
}
