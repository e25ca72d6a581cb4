import type { RedisClient } from '../queues/connection.js';
import type { AppConfig } from '../config/load-config.js';
import type { SafeFetcher } from '../domain/types.js';
import { RedisSeenItems } from '../feeds/seen-items.js';
import { RedisTitleIndex } from '../feeds/title-index.js';
import type { PollJobDeps } from '../pipeline/poll.js';
import type { Db } from '../store/db.js';
import { FeedStateStore } from '../store/feed-state-store.js';

/** The poll stage's I/O in a service process: feed state in the database, seen items and titles in Redis. */
export function buildPollDeps(input: { config: AppConfig; redis: RedisClient; prefix: string; db: Db; fetcher: SafeFetcher }): PollJobDeps['poll'] {
  return {
    fetcher: input.fetcher,
    state: new FeedStateStore(input.db),
    seen: new RedisSeenItems(input.redis, { prefix: input.prefix }),
    titles: new RedisTitleIndex(input.redis, { prefix: input.prefix }),
    settings: input.config.settings.poll,
  };
}
