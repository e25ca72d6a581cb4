import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { FeedConfig } from '../domain/types.js';
import { jobIds } from '../queues/definitions.js';

const SCHEDULER_PREFIX = 'feed-';
const UPSERT_BATCH = 50;

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

async function schedulerKeys(queue: Queue): Promise<Set<string>> {
  const keys = new Set<string>();
  const total = await queue.getJobSchedulersCount();
  for (let start = 0; start < total; start += 500) {
    for (const scheduler of await queue.getJobSchedulers(start, start + 499)) {
      if (scheduler.key.startsWith(SCHEDULER_PREFIX)) keys.add(scheduler.key);
    }
  }
  return keys;
}

/**
 * Keeps one BullMQ job scheduler per configured feed. Upserts are idempotent and keyed by feed id, so a
 * second scheduler process (or a restart) never doubles the polls; feeds removed from the config lose
 * their scheduler. A feed that gets its scheduler now is also polled at once: the schedule's first tick
 * comes up to half the interval later (7.5 minutes at the default 15m), and someone who has just added a
 * feed wants to see its articles. (Two schedulers racing may both add that poll; the poll stage's
 * per-feed lock and due check make the second a no-op.)
 */
export async function syncFeedSchedulers(queue: Queue, feeds: FeedConfig[], floorMs: number): Promise<{ upserted: number; removed: string[]; polledNow: string[] }> {
  const wanted = new Set(feeds.map((f) => SCHEDULER_PREFIX + f.id));
  const existing = await schedulerKeys(queue);
  // Batches of upserts in flight: one round trip at a time made 2,000 feeds take most of a minute.
  for (let start = 0; start < feeds.length; start += UPSERT_BATCH) {
    await Promise.all(
      feeds.slice(start, start + UPSERT_BATCH).map((feed) => {
        const every = tickFor(feed, floorMs);
        return queue.upsertJobScheduler(SCHEDULER_PREFIX + feed.id, { every, offset: offsetFor(feed.id, every) }, { name: 'poll', data: { feedId: feed.id } });
      }),
    );
  }
  const fresh = feeds.filter((f) => !existing.has(SCHEDULER_PREFIX + f.id));
  if (fresh.length > 0) {
    // Removed once done, so a feed dropped and added again later gets its first poll again.
    await queue.addBulk(fresh.map((f) => ({ name: 'poll', data: { feedId: f.id }, opts: { jobId: jobIds.firstPoll(f.id), removeOnComplete: true, removeOnFail: true } })));
  }
  const removed = [...existing].filter((key) => !wanted.has(key));
  for (const key of removed) await queue.removeJobScheduler(key);
  return { upserted: feeds.length, removed: removed.map((k) => k.slice(SCHEDULER_PREFIX.length)), polledNow: fresh.map((f) => f.id) };
}
