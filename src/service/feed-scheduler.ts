import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { FeedConfig } from '../domain/types.js';

const SCHEDULER_PREFIX = 'feed-';

/**
 * How often the scheduler offers a feed a poll. The poll stage skips a feed that is not yet due (its
 * adaptive next-poll time is later), so ticking at half the interval lets busy feeds go up to twice as
 * fast and quiet or failing ones slow down, without a scheduler change per poll.
 */
export function tickFor(feed: FeedConfig, floorMs: number): number {
  return Math.max(floorMs, Math.round(feed.intervalMs / 2));
}

/** A stable offset inside the tick so 500 feeds with the same interval do not all start at once. */
export function offsetFor(feedId: string, tickMs: number): number {
  const n = createHash('sha256').update(feedId).digest().readUInt32BE(0);
  return n % tickMs;
}

/**
 * Keeps one BullMQ job scheduler per configured feed. Upserts are idempotent and keyed by feed id, so a
 * second scheduler process (or a restart) never doubles the polls; feeds removed from the config lose
 * their scheduler.
 */
export async function syncFeedSchedulers(queue: Queue, feeds: FeedConfig[], floorMs: number): Promise<{ upserted: number; removed: string[] }> {
  const wanted = new Set(feeds.map((f) => SCHEDULER_PREFIX + f.id));
  for (const feed of feeds) {
    const every = tickFor(feed, floorMs);
    await queue.upsertJobScheduler(
      SCHEDULER_PREFIX + feed.id,
      { every, offset: offsetFor(feed.id, every) },
      { name: 'poll', data: { feedId: feed.id } },
    );
  }
  const removed: string[] = [];
  const total = await queue.getJobSchedulersCount();
  for (let start = 0; start < total; start += 500) {
    for (const scheduler of await queue.getJobSchedulers(start, start + 499)) {
      if (scheduler.key.startsWith(SCHEDULER_PREFIX) && !wanted.has(scheduler.key)) removed.push(scheduler.key);
    }
  }
  for (const key of removed) await queue.removeJobScheduler(key);
  return { upserted: feeds.length, removed: removed.map((k) => k.slice(SCHEDULER_PREFIX.length)) };
}
