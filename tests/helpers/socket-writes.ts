import type { RedisClient } from '../../src/queues/connection.js';

/** What a Redis connection wrote to its socket while `fn` ran: how many writes, and their text. */
export async function socketWritesDuring(redis: RedisClient, fn: () => Promise<unknown>): Promise<{ count: number; text: string }> {
  await redis.ping();
  // ioredis keeps its socket on `stream`; wrapping its write is the only way to see each system call's payload.
  const stream = (redis as unknown as { stream: { write: (chunk: unknown, ...rest: unknown[]) => boolean } }).stream;
  const write = stream.write.bind(stream);
  const seen = { count: 0, text: '' };
  stream.write = (chunk: unknown, ...rest: unknown[]) => {
    seen.count++;
    seen.text += String(chunk);
    return write(chunk, ...rest);
  };
  try {
    await fn();
  } finally {
    stream.write = write;
  }
  return seen;
}
