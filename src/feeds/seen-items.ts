import { createHash } from 'node:crypto';
import type { RedisClient } from '../queues/connection.js';
import type { FeedItem } from '../domain/types.js';

/** One entry of a feed as the seen-set knows it: its identity and a fingerprint of what it says. */
export interface SeenEntry {
  key: string;
  fingerprint: string;
  /** The article the entry was first handed on as; kept so an edit that changes the URL stays that article. */
  articleId?: string;
}

/** What {@link SeenItems.check} found. */
export interface SeenCheck {
  fresh: string[];
  changed: string[];
  /** For changed keys, the article id recorded with them (when the implementation keeps it). */
  articleIds?: Record<string, string>;
}

/** Which entries of a feed have been taken in already, so each is handed on once (and again when edited). */
export interface SeenItems {
  /** Splits `entries` into keys never recorded for `feedId` and keys recorded with another fingerprint. */
  check(feedId: string, entries: SeenEntry[]): Promise<SeenCheck>;
  /** Records `entries` (key and fingerprint) for `feedId`. */
  record(feedId: string, entries: SeenEntry[]): Promise<void>;
  /** Forgets a feed (removed from the configuration). */
  forget(feedId: string): Promise<void>;
}

/**
 * Entries per Redis command. A command's arguments are spread onto the call stack, so their number must
 * not follow the input: a feed of 100,000 items overflowed it (two arguments per item).
 */
const SEEN_CHUNK = 1_000;

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

const hash = (s: string, length: number) => createHash('sha256').update(s).digest('base64url').slice(0, length);

/**
 * The per-feed identity of an entry: its guid, else its link, else title and summary. A hash keeps the
 * feed's set small however long its guids are.
 */
export function seenKeyFor(item: Pick<FeedItem, 'guid' | 'link' | 'title' | 'summary'>): string {
  return hash(item.guid ? `g:${item.guid}` : item.link ? `l:${item.link}` : `t:${item.title}\n${item.summary}`, 22);
}

/**
 * What an edit changes: title, link and content. Dates are left out on purpose: some feeds rewrite
 * `pubDate` on every build, and that is not an edit of the story.
 */
export function fingerprintFor(item: Pick<FeedItem, 'link' | 'title' | 'summary' | 'contentHtml'>): string {
  return hash(`${item.title}\n${item.link ?? ''}\n${item.contentHtml ?? item.summary}`, 16);
}

/**
 * {@link SeenItems} in Redis: per feed, a hash (key → fingerprint) and a sorted set (key → first seen) used
 * to keep only the newest `maxPerFeed` keys. A feed lists its last few dozen entries, so a key trimmed away
 * has long left the feed too.
 */
export class RedisSeenItems implements SeenItems {
  private readonly maxPerFeed: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: { prefix: string; maxPerFeed?: number; now?: () => number },
  ) {
    this.maxPerFeed = options.maxPerFeed ?? 5_000;
  }

  private keys(feedId: string): { prints: string; order: string } {
    return { prints: `${this.options.prefix}:seen:${feedId}:fp`, order: `${this.options.prefix}:seen:${feedId}:at` };
  }

  async check(feedId: string, entries: SeenEntry[]): Promise<SeenCheck> {
    const fresh: string[] = [];
    const changed: string[] = [];
    const articleIds: Record<string, string> = {};
    for (const chunk of chunks(entries, SEEN_CHUNK)) {
      const stored = await this.redis.hmget(this.keys(feedId).prints, ...chunk.map((e) => e.key));
      chunk.forEach((e, i) => {
        const prior = stored[i];
        if (prior === null || prior === undefined) {
          fresh.push(e.key);
          return;
        }
        // Stored as "fingerprint articleId" (older values: the fingerprint alone).
        const [fingerprint, articleId] = prior.split(' ');
        if (fingerprint === e.fingerprint) return;
        changed.push(e.key);
        if (articleId) articleIds[e.key] = articleId;
      });
    }
    return { fresh, changed, articleIds };
  }

  async record(feedId: string, entries: SeenEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const { prints, order } = this.keys(feedId);
    const now = String(this.options.now?.() ?? Date.now());
    for (const chunk of chunks(entries, SEEN_CHUNK)) {
      const results = await this.redis
        .multi()
        .hset(prints, ...chunk.flatMap((e) => [e.key, e.articleId ? `${e.fingerprint} ${e.articleId}` : e.fingerprint]))
        .zadd(order, 'NX', ...chunk.flatMap((e) => [now, e.key]))
        .exec();
      for (const [err] of results ?? []) if (err) throw err;
    }
    // Oldest first, one chunk at a time, until the feed's set is back to its size.
    for (let size = await this.redis.zcard(order); size > this.maxPerFeed; size = await this.redis.zcard(order)) {
      const excess = await this.redis.zrange(order, 0, String(Math.min(size - this.maxPerFeed, SEEN_CHUNK) - 1));
      if (excess.length === 0) break;
      const trimmed = await this.redis.multi().zrem(order, ...excess).hdel(prints, ...excess).exec();
      for (const [err] of trimmed ?? []) if (err) throw err;
    }
  }

  async forget(feedId: string): Promise<void> {
    const { prints, order } = this.keys(feedId);
    await this.redis.del(prints, order);
  }
}
