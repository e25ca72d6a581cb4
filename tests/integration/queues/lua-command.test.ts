import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { luaCommand } from '../../../src/lib/lua-command.js';
import type { RedisClient } from '../../../src/queues/connection.js';
import { testRedisConnections } from '../../helpers/redis.js';
import { socketWritesDuring } from '../../helpers/socket-writes.js';

const { prefix, open } = testRedisConnections('lua-command');

const bytesDuring = async (redis: RedisClient, fn: () => Promise<unknown>) => (await socketWritesDuring(redis, fn)).text;

describe('a Lua script as a client command', () => {
  it('is sent in full once, when Redis does not know it, and by its SHA after that', async () => {
    const redis = open();
    // A body no other test has loaded, so the first call meets NOSCRIPT.
    const marker = randomUUID();
    const lua = `-- ${marker}\nredis.call('SET', KEYS[1], ARGV[1]) return redis.call('INCRBY', KEYS[2], ARGV[2])`;
    const incr = luaCommand(redis, 'framewatchTestIncr', 2, lua);
    const key = (name: string) => `${prefix}:${name}`;

    const first = await bytesDuring(redis, () => incr(key('last'), key('n'), 'a', 2));
    const second = await bytesDuring(redis, async () => expect(await incr(key('last'), key('n'), 'b', 3)).toBe(5));

    expect(first).toContain(marker);
    expect(second).not.toContain(marker);
    expect(second).toMatch(/evalsha/i);
    expect(await redis.get(key('last'))).toBe('b');
  });
});
