import { Cluster, type Redis } from 'ioredis';
import type { Logger } from '../obs/logger.js';
import { createRedis, type RedisClient } from '../queues/connection.js';
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
 * On a Redis Cluster every master is checked (each warning names the node).
 */
export async function checkRedisDurability(redis: RedisClient): Promise<RedisDurabilityReport> {
  if (!(redis instanceof Cluster)) return checkNode(redis, '');
  try {
    // The node list is known once the cluster is ready; a command waits for that.
    await redis.ping();
  } catch {
    return { evictionPolicy: null, persistence: { aof: false, rdb: false }, warnings: [] };
  }
  const reports = await Promise.all(redis.nodes('master').map((node) => checkNode(node, ` on node ${node.options.host ?? '?'}:${node.options.port ?? '?'}`)));
  return {
    evictionPolicy: reports.find((r) => r.evictionPolicy !== 'noeviction')?.evictionPolicy ?? reports[0]?.evictionPolicy ?? null,
    persistence: { aof: reports.every((r) => r.persistence.aof), rdb: reports.every((r) => r.persistence.rdb) },
    warnings: reports.flatMap((r) => r.warnings),
  };
}

async function checkNode(redis: Redis, where: string): Promise<RedisDurabilityReport> {
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
    warnings.push(`Redis maxmemory-policy is "${evictionPolicy}"${where}: under memory pressure Redis will delete queue keys and jobs will be lost. Set maxmemory-policy noeviction.`);
  }
  if (!aof && !rdb) {
    warnings.push(`Redis persistence is off${where} (no AOF, no RDB snapshots): a Redis restart loses every queued job. Enable appendonly yes (appendfsync everysec).`);
  }
  return { evictionPolicy, persistence: { aof, rdb }, warnings };
}
