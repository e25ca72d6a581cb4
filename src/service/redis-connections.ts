import { createRedis, type RedisClient } from '../queues/connection.js';
import { QueueClient } from '../queues/queue-client.js';

/** The Redis connections of one service process, each used the way its commands need. */
export interface ServiceConnections {
  /** BullMQ's workers: a plain connection, which their blocking fetch and job locks are written for. */
  redis: RedisClient;
  /**
   * framewatch's own keys (working documents, claims, seen items, the per-host limiter): commands of one
   * event-loop turn go out in one write. Under load many jobs each send one at the same moment, and on a
   * small machine the write system calls were a tenth of the CPU.
   */
  keys: RedisClient;
  /**
   * The queue producers' connection (jobs added, counts read), auto-pipelined too: a poll hands a feed's new
   * items on at once. It is not `keys` because BullMQ defines its 64 scripts on the connection it is given,
   * and ioredis copies every defined script onto each pipeline it builds, one per event-loop turn: on `keys`
   * that copying was 4.5% of each main thread's busy time, 0.6% apart (bench:pipeline --profile --processes 2).
   */
  producers: RedisClient;
  /** The queues' producers, on `producers`. */
  queues: QueueClient;
  /** Quits every connection (after the workers and queues are closed). */
  close(): Promise<void>;
}

export function openServiceConnections(url: string, prefix: string): ServiceConnections {
  const redis = createRedis({ url, role: 'worker' });
  const keys = createRedis({ url, role: 'worker', autoPipelining: true });
  const producers = createRedis({ url, role: 'worker', autoPipelining: true });
  const all = [redis, keys, producers];
  // ioredis reports each failed reconnect as an error event; readiness and BullMQ report what matters.
  for (const connection of all) connection.on('error', () => undefined);
  return {
    redis,
    keys,
    producers,
    queues: new QueueClient(producers, prefix),
    close: async () => void (await Promise.all(all.map((c) => c.quit().catch(() => c.disconnect())))),
  };
}
