import { afterAll, describe, expect, it } from 'vitest';
import { createRedis, type RedisClient } from '../../../src/queues/connection.js';
import { TEST_REDIS_URL, testRedisPrefix } from '../../helpers/redis.js';

const { prefix, cleanup } = testRedisPrefix('auto-pipelining');
const opened: RedisClient[] = [];
afterAll(async () => {
  for (const r of opened) r.disconnect();
  await cleanup();
});

/** Counts the connection's socket writes while `fn` runs. */
async function writesDuring(redis: RedisClient, fn: () => Promise<unknown>): Promise<number> {
  await redis.ping();
  const stream = (redis as unknown as { stream: { write: (...args: unknown[]) => boolean } }).stream;
  const write = stream.write.bind(stream);
  let writes = 0;
  stream.write = (...args: unknown[]) => {
    writes++;
    return write(...args);
  };
  try {
    await fn();
  } finally {
    stream.write = write;
  }
  return writes;
}

describe('the connection for framewatch’s own keys', () => {
  it('sends the commands of one event-loop turn in one write, each with its own reply', async () => {
    const piped = createRedis({ url: TEST_REDIS_URL, role: 'worker', autoPipelining: true });
    const plain = createRedis({ url: TEST_REDIS_URL, role: 'worker' });
    opened.push(piped, plain);
    const burst = (r: RedisClient, tag: string) => Promise.all(Array.from({ length: 20 }, (_, i) => r.set(`${prefix}:${tag}:${i}`, String(i)).then(() => r.get(`${prefix}:${tag}:${i}`))));
    let values: (string | null)[] = [];
    const pipedWrites = await writesDuring(piped, async () => void (values = await burst(piped, 'piped')));
    const plainWrites = await writesDuring(plain, () => burst(plain, 'plain'));
    expect(values).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    // 20 SETs in one turn, then the 20 GETs their replies set off: two writes, against one per command.
    expect(pipedWrites).toBeLessThanOrEqual(4);
    expect(plainWrites).toBe(40);
  });
});
