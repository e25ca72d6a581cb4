import { luaCommand, type LuaCommand } from '../lib/lua-command.js';
import type { RedisClient } from '../queues/connection.js';

/**
 * One poll of a feed at a time: a scheduler tick that comes while the last poll still runs would otherwise
 * save a stale feed state over the newer one. Only the holder (its token) releases the lock.
 */
export interface PollLock {
  /** True when this caller now holds the feed's lock. */
  acquire(feedId: string, token: string): Promise<boolean>;
  release(feedId: string, token: string): Promise<void>;
}

/** Longer than any poll can take (fetch timeout plus hand-on); a crashed poller's lock lapses by itself. */
const DEFAULT_LOCK_MS = 120_000;
const RELEASE_IF_OWNER = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

/** {@link PollLock} in Redis, shared by every process: `SET NX PX` to take it, a compare-and-delete to give it back. */
export class RedisPollLock implements PollLock {
  private readonly releaseIfOwner: LuaCommand;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly lockMs = DEFAULT_LOCK_MS,
  ) {
    this.releaseIfOwner = luaCommand(redis, 'framewatchReleaseIfOwner', 1, RELEASE_IF_OWNER);
  }

  async acquire(feedId: string, token: string): Promise<boolean> {
    return (await this.redis.set(this.key(feedId), token, 'PX', this.lockMs, 'NX')) === 'OK';
  }

  async release(feedId: string, token: string): Promise<void> {
    await this.releaseIfOwner(this.key(feedId), token);
  }

  private key(feedId: string): string {
    return `${this.prefix}:poll-lock:${feedId}`;
  }
}
