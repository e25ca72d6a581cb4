import { createHash } from 'node:crypto';
import type { RedisClient } from '../queues/connection.js';
import { titleKey } from './title-key.js';

/**
 * Cross-feed duplicate detection by headline: the first article seen with a headline claims it for a time
 * window; a later article with the same normalised headline (a syndicated copy under another URL) is a
 * duplicate of the first.
 */
export interface TitleIndex {
  /** Claims `title` for `articleId`; returns the id of the article that already holds it, or null. */
  claim(title: string, articleId: string): Promise<string | null>;
}

export interface RedisTitleIndexOptions {
  /** Key prefix (the deployment's Redis prefix). */
  prefix: string;
  /** How long a headline stays claimed. Syndicated copies arrive within hours; 3 days is generous. */
  windowMs?: number;
}

/** {@link TitleIndex} in Redis: one key per headline hash, `SET NX PX` so concurrent workers agree on the first. */
export class RedisTitleIndex implements TitleIndex {
  private readonly windowMs: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: RedisTitleIndexOptions,
  ) {
    this.windowMs = options.windowMs ?? 3 * 86_400_000;
  }

  async claim(title: string, articleId: string): Promise<string | null> {
    const key = titleKey(title);
    if (!key) return null;
    const redisKey = `${this.options.prefix}:title:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
    const set = await this.redis.set(redisKey, articleId, 'PX', this.windowMs, 'NX');
    if (set === 'OK') return null;
    const holder = await this.redis.get(redisKey);
    // The same article seen again (another poll, another feed with the same URL) is not its own duplicate.
    return holder && holder !== articleId ? holder : null;
  }
}
