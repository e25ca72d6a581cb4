import type { Redis } from 'ioredis';
import type { Logger } from '../obs/logger.js';
import { createRedis } from '../queues/connection.js';
import { redactUrl } from '../obs/logger.js';

/**
 * Waits until Redis answers, logging one clear line per failed try instead of a stack trace. Each try is
 * a fresh fail-fast connection (the service's own connections queue commands and would wait silently).
 * Returns false when `signal` aborts first (shutdown during start-up).
 */
export async function waitForRedis(url: string, logger: Logger, signal?: AbortSignal): Promise<boolean> {
  let delay = 1_000;
  for (;;) {
    const probe = createRedis({ url, role: 'probe' });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
      return true;
    } catch (err) {
      logger.error({ redis: redactUrl(url), error: (err as Error).message, retryInMs: delay }, `Redis at ${redactUrl(url)} is unreachable; retrying`);
    } finally {
      probe.disconnect();
    }
    if (signal?.aborted) return false;
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 15_000);
  }
}

export interface RedisDurabilityReport {
  evictionPolicy: string | null;
  persistence: { aof: boolean; rdb: boolean };
  warnings: string[];
}

/**
 * BullMQ loses jobs when Redis evicts keys, and a restart loses everything without persistence: say so
 * loudly at start. Managed Redis often forbids CONFIG; then INFO is used, and failing that we stay quiet.
 */
export async function checkRedisDurability(redis: Redis): Promise<RedisDurabilityReport> {
  const warnings: string[] = [];
  let evictionPolicy: string | null = null;
  let aof = false;
  let rdb = false;
  try {
    const info = await redis.info();
    evictionPolicy = /maxmemory_policy:(\S+)/.exec(info)?.[1] ?? null;
    aof = /aof_enabled:1/.test(info);
    const saveParams = await redis.config('GET', 'save').catch(() => null);
    const save = Array.isArray(saveParams) ? String(saveParams[1] ?? '') : '';
    rdb = save.trim().length > 0;
  } catch {
    return { evictionPolicy, persistence: { aof, rdb }, warnings };
  }
  if (evictionPolicy && evictionPolicy !== 'noeviction') {
    warnings.push(`Redis maxmemory-policy is "${evictionPolicy}": under memory pressure Redis will delete queue keys and jobs will be lost. Set maxmemory-policy noeviction.`);
  }
  if (!aof && !rdb) {
    warnings.push('Redis persistence is off (no AOF, no RDB snapshots): a Redis restart loses every queued job. Enable appendonly yes (appendfsync everysec).');
  }
  return { evictionPolicy, persistence: { aof, rdb }, warnings };
}
