import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { createRedis, type RedisClient, type RedisConnectionOptions } from '../../src/queues/connection.js';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A key prefix of this test file's own (a Redis Cluster hash tag, as production uses). `cleanup` deletes
 * only keys under it: never FLUSHALL on the machine's shared Redis.
 */
export function testRedisPrefix(name: string): { prefix: string; cleanup: () => Promise<void> } {
  const prefix = `{fwtest-${name}-${randomBytes(4).toString('hex')}}`;
  return {
    prefix,
    cleanup: async () => {
      const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
      try {
        await deleteKeysWithPrefix(redis, prefix);
      } finally {
        redis.disconnect();
      }
    },
  };
}

export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  // The prefix contains braces, which SCAN's glob treats literally; only '*', '?', '[' and '\' need escaping.
  const pattern = `${prefix.replace(/([*?[\]\\])/g, '\\$1')}*`;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

/**
 * A test file's own prefix and the connections it opens (`open`, options as `createRedis`'s), all closed and
 * the prefix's keys deleted after the file.
 */
export function testRedisConnections(name: string): { prefix: string; open: (options?: Omit<RedisConnectionOptions, 'url'>) => RedisClient } {
  const { prefix, cleanup } = testRedisPrefix(name);
  const opened: RedisClient[] = [];
  afterAll(async () => {
    for (const r of opened) r.disconnect();
    await cleanup();
  });
  return {
    prefix,
    open: (options = { role: 'worker' }) => {
      const redis = createRedis({ url: TEST_REDIS_URL, ...options });
      opened.push(redis);
      return redis;
    },
  };
}
