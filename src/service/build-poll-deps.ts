import type { Redis } from 'ioredis';
import type { AppConfig } from '../config/load-config.js';
import type { Clock, SafeFetcher } from '../domain/types.js';
import { RedisSeenItems } from '../feeds/seen-items.js';
import { RedisTitleIndex } from '../feeds/title-index.js';
import type { PollDeps } from '../pipeline/poll.js';
import type { Db } from '../store/db.js';
import { FeedStateStore } from '../store/feed-state-store.js';

/** The poll stage's I/O in a service process: feed state in the database, seen items and titles in Redis. */
export function buildPollDeps(input: { config: AppConfig; redis: Redis; prefix: string; db: Db; fetcher: SafeFetcher; clock: Clock }): PollDeps {
  return {
    fetcher: input.fetcher,
    state: new FeedStateStore(input.db),
    seen: new RedisSeenItems(input.redis, { prefix: input.prefix }),
    titles: new RedisTitleIndex(input.redis, { prefix: input.prefix }),
    clock: input.clock,
    settings: input.config.settings.poll,
  };
}
