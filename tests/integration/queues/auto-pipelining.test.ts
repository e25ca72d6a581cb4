import { describe, expect, it } from 'vitest';
import type { RedisClient } from '../../../src/queues/connection.js';
import { jobIds } from '../../../src/queues/definitions.js';
import { QueueClient } from '../../../src/queues/queue-client.js';
import { openServiceConnections } from '../../../src/service/redis-connections.js';
import { TEST_REDIS_URL, testRedisConnections } from '../../helpers/redis.js';
import { socketWritesDuring } from '../../helpers/socket-writes.js';

const { prefix, open } = testRedisConnections('auto-pipelining');

const writesDuring = async (redis: RedisClient, fn: () => Promise<unknown>) => (await socketWritesDuring(redis, fn)).count;

describe('the connection for framewatch’s own keys', () => {
  it('sends the commands of one event-loop turn in one write, each with its own reply', async () => {
    const piped = open({ role: 'worker', autoPipelining: true });
    const plain = open();
    const burst = (r: RedisClient, tag: string) => Promise.all(Array.from({ length: 20 }, (_, i) => r.set(`${prefix}:${tag}:${i}`, String(i)).then(() => r.get(`${prefix}:${tag}:${i}`))));
    let values: (string | null)[] = [];
    const pipedWrites = await writesDuring(piped, async () => void (values = await burst(piped, 'piped')));
    const plainWrites = await writesDuring(plain, () => burst(plain, 'plain'));
    expect(values).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    // 20 SETs in one turn, then the 20 GETs their replies set off: two writes, against one per command.
    expect(pipedWrites).toBeLessThanOrEqual(4);
    expect(plainWrites).toBe(40);
  });

  it('adds the jobs a poll hands on at once in a few writes, each job added once', async () => {
    const piped = open({ role: 'worker', autoPipelining: true });
    const queues = new QueueClient(piped, prefix);
    try {
      const ids = Array.from({ length: 20 }, (_, i) => `article-${i}`);
      const handOn = () => Promise.all(ids.map((articleId) => queues.enqueue('extract', { articleId }, { jobId: jobIds.extract(articleId) })));
      // The first add loads BullMQ's script; the measured round is the steady state.
      await queues.enqueue('extract', { articleId: 'warm-up' }, { jobId: jobIds.extract('warm-up') });
      const writes = await writesDuring(piped, handOn);
      expect(writes).toBeLessThanOrEqual(4);
      await handOn();
      expect(await queues.queue('extract').getJobCountByTypes('wait')).toBe(21);
    } finally {
      await queues.close();
    }
  });

  it('keeps BullMQ’s scripts off the keys connection, whose pipelines would each copy them all', async () => {
    const connections = openServiceConnections(TEST_REDIS_URL, prefix);
    try {
      await connections.queues.enqueue('store', { articleId: 'scripts' }, { jobId: jobIds.store('scripts', 'r1') });
      const scriptNames = (r: RedisClient) => Object.keys(r.scriptsSet);
      const producer = connections.producers;
      expect(scriptNames(producer).length).toBeGreaterThan(20);
      expect(scriptNames(connections.keys)).toEqual([]);
      expect(scriptNames(connections.redis)).toEqual([]);
      // Still pipelined: a burst of adds on the producers' connection goes out in a few writes.
      const ids = Array.from({ length: 20 }, (_, i) => `burst-${i}`);
      const writes = await writesDuring(producer, () => Promise.all(ids.map((articleId) => connections.queues.enqueue('store', { articleId }, { jobId: jobIds.store(articleId, 'r1') }))));
      expect(writes).toBeLessThanOrEqual(4);
    } finally {
      await connections.queues.close();
      await connections.close();
    }
  });
});
