import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster, Redis } from 'ioredis';
import { luaCommand, type LuaCommand } from '../lib/lua-command.js';
import type { HostLimiter, ReleaseHostSlot } from './host-limiter.js';

/** Settings for {@link RedisHostLimiter}; `concurrency` and `gapMs` come from settings.poll. */
export interface RedisHostLimiterOptions {
  /** One Redis or a Redis Cluster (the prefix's hash tag keeps a host's two keys in one slot). */
  redis: Redis | Cluster;
  /** Key prefix, e.g. the queue prefix `{framewatch}` (its hash tag keeps keys in one cluster slot). */
  prefix: string;
  /** At most this many requests in flight per host, across all processes. */
  concurrency: number;
  /** Minimum time between two request starts on one host, across all processes. */
  gapMs: number;
  /**
   * A slot not released within this time is freed anyway (a crashed process must not hold it forever).
   * Keep it above the fetch timeout. Default 60 s.
   */
  leaseTtlMs?: number;
  /** Longest pause between two tries while the host is full. Default 100 ms. */
  maxPollMs?: number;
}

// KEYS[1]: sorted set of leases (member = lease id, score = expiry ms); KEYS[2]: earliest next start (ms).
// ARGV: lease id, concurrency, gap ms, lease ttl ms. Returns {1, 0} when acquired, else {0, wait hint ms}.
// Redis's own clock is used so processes on different machines agree on "now".
const ACQUIRE = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, tonumber(first[2]) - now}
end
local nextStart = tonumber(redis.call('GET', KEYS[2]) or '0')
if nextStart > now then return {0, nextStart - now} end
local gap = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ttl)
if gap > 0 then redis.call('SET', KEYS[2], now + gap, 'PX', gap) end
return {1, 0}
`;

/**
 * Per-host politeness shared by every worker process through Redis: a lease per request in flight
 * (freed on release or after its TTL) and a "not before" time for the next start. Waiters poll; there is
 * no queue, so order among waiters is not guaranteed (fine for feed polling, where every request waits
 * its turn within seconds).
 */
export class RedisHostLimiter implements HostLimiter {
  private readonly leaseTtlMs: number;
  private readonly maxPollMs: number;
  private readonly acquireScript: LuaCommand;

  constructor(private readonly options: RedisHostLimiterOptions) {
    this.leaseTtlMs = options.leaseTtlMs ?? 60_000;
    this.maxPollMs = options.maxPollMs ?? 100;
    this.acquireScript = luaCommand(options.redis, 'framewatchAcquireHostSlot', 2, ACQUIRE);
  }

  async acquire(host: string, signal?: AbortSignal): Promise<ReleaseHostSlot> {
    const keys = this.keysFor(host.toLowerCase());
    const lease = randomUUID();
    for (;;) {
      signal?.throwIfAborted();
      const [acquired, waitHint] = (await this.acquireScript(
        keys.leases,
        keys.next,
        lease,
        this.options.concurrency,
        this.options.gapMs,
        this.leaseTtlMs,
      )) as [number, number];
      if (acquired === 1) return this.releaser(keys.leases, lease);
      await pause(Math.max(1, Math.min(waitHint, this.maxPollMs)), signal);
    }
  }

  private releaser(leasesKey: string, lease: string): ReleaseHostSlot {
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      try {
        await this.options.redis.zrem(leasesKey, lease);
      } catch {
        // The response is already in hand; an unreleased lease frees itself after leaseTtlMs.
      }
    };
  }

  private keysFor(host: string): { leases: string; next: string } {
    return { leases: `${this.options.prefix}:host:${host}:leases`, next: `${this.options.prefix}:host:${host}:next` };
  }
}

async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch (err) {
    // timers/promises rejects with a generic AbortError; callers expect their own reason.
    throw signal?.reason ?? err;
  }
}
