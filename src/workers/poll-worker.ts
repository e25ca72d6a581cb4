import type { Worker } from 'bullmq';
import type { Clock, FeedConfig } from '../domain/types.js';
import { pollFeed, type NewFeedItem, type PollDeps } from '../pipeline/poll.js';
import { jobIds } from '../queues/definitions.js';
import type { QueueClient } from '../queues/queue-client.js';
import type { WorkStore } from '../queues/work-store.js';
import { baseOf, createStageWorker, type StageWorkerBase } from './stage-worker.js';

/** Longer than any poll can take (fetch timeout plus hand-on); a crashed poller's lock lapses by itself. */
const POLL_LOCK_MS = 120_000;
const RELEASE_IF_OWNER = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

export interface PollWorkerDeps extends StageWorkerBase {
  work: WorkStore;
  queues: QueueClient;
  feeds: { get(id: string): FeedConfig | undefined };
  poll: Omit<PollDeps, 'deliver' | 'force'>;
  clock: Clock;
}

/**
 * poll: feed id → new items. A new article gets a working document and an extract job; an article
 * already known (the same story in another feed) gets its sighting recorded through the store stage;
 * a republished edit is extracted and classified again. Items are handed on before the poll records
 * them as seen, so a crash in between re-delivers (deterministic job ids absorb the repeat).
 */
export function createPollWorker(deps: PollWorkerDeps): Worker {
  const handOnOne = async (feed: FeedConfig, entry: NewFeedItem): Promise<boolean> => {
    const articleId = entry.duplicateOf ?? entry.articleId;
    const sighting = { feedId: feed.id, feedName: feed.name, link: entry.item.link, guid: entry.item.guid, seenAt: deps.clock.now().toISOString() };
    const { created, work } = await deps.work.addSighting({ id: articleId, canonicalUrl: entry.canonicalUrl, item: entry.item, sighting });
    if (created) {
      await deps.queues.add('extract', { articleId }, { jobId: jobIds.extract(articleId) });
    } else if (entry.updated && !entry.duplicateOf) {
      const revision = await deps.work.updateItem(articleId, entry.item);
      await deps.queues.add('extract', { articleId }, { jobId: jobIds.extract(articleId, revision) });
    } else {
      await deps.queues.add('store', { articleId }, { jobId: jobIds.store(articleId, `seen-${work.sightings.length}`) });
    }
    return created;
  };
  // Entries are independent (each Redis write is atomic), so a feed's backlog goes out in one round of requests.
  const handOn = async (feed: FeedConfig, items: NewFeedItem[]): Promise<number> =>
    (await Promise.all(items.map((entry) => handOnOne(feed, entry)))).filter(Boolean).length;

  return createStageWorker({
    queue: 'poll',
    ...baseOf(deps),
    handle: async ({ feedId }, job) => {
      const feed = deps.feeds.get(feedId);
      // A scheduler tick for a feed removed from feeds.yaml a moment ago: nothing to do.
      if (!feed) return { feedId, skipped: 'feed no longer configured' };
      // One poll of a feed at a time: a tick that comes while the last poll still runs would otherwise save
      // a stale feed state over the newer one.
      const lockKey = `${deps.prefix}:poll-lock:${feedId}`;
      const token = `${process.pid}-${job.id ?? ''}`;
      if ((await deps.connection.set(lockKey, token, 'PX', POLL_LOCK_MS, 'NX')) !== 'OK') return { feedId, skipped: 'a poll of this feed is already running' };
      let articlesNew = 0;
      let result;
      try {
        result = await pollFeed(feed, { ...deps.poll, deliver: async (items) => void (articlesNew += await handOn(feed, items)) });
      } finally {
        await deps.connection.eval(RELEASE_IF_OWNER, 1, lockKey, token);
      }
      if (result.status === 'skipped') return { feedId, skipped: result.reason, nextPollAt: result.nextPollAt.toISOString() };
      if (result.healthEvent) {
        const eventId = result.healthEvent.id;
        await deps.queues.add('alert', { kind: 'feed-health', feedId: feed.id, eventId }, { jobId: jobIds.alertFeedHealth(eventId) });
      }
      return {
        feedId,
        status: result.status,
        statusCode: result.httpStatus,
        itemsSeen: result.itemsSeen,
        itemsNew: result.newItems.length,
        articlesNew,
        health: result.health.state,
        ...(result.error ? { error: result.error } : {}),
        nextPollAt: result.nextPollAt.toISOString(),
      };
    },
  });
}
