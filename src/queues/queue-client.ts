import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from './connection.js';
import { parsePayload, queueNames, type Enqueue, type QueueName, type QueuePayload } from './definitions.js';

/** Default retry policy per queue: transient failures back off exponentially; permanent ones fail at once. */
const defaultJobOptions: Record<QueueName, JobsOptions> = {
  poll: { attempts: 1, removeOnComplete: 1000, removeOnFail: 5000 },
  extract: { attempts: 4, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: 5000, removeOnFail: 20000 },
  classify: { attempts: 3, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: 5000, removeOnFail: 20000 },
  store: { attempts: 10, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: 5000, removeOnFail: 20000 },
  alert: { attempts: 5, backoff: { type: 'exponential', delay: 2_000 }, removeOnComplete: 5000, removeOnFail: 20000 },
  deliver: { attempts: 8, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: 5000, removeOnFail: 50000 },
  maintenance: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: 100, removeOnFail: 100 },
};

/** Typed producers for every queue; payloads are validated before they reach Redis. */
export class QueueClient {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    private readonly connection: RedisClient,
    readonly prefix: string,
  ) {}

  queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.connection, prefix: this.prefix, defaultJobOptions: defaultJobOptions[name] });
      this.queues.set(name, q);
    }
    return q;
  }

  async add<Q extends QueueName>(name: Q, payload: QueuePayload<Q>, options: JobsOptions = {}): Promise<void> {
    const data = parsePayload(name, payload);
    await this.queue(name).add(name, data, options);
  }

  /** `add` as a plain function, for the stages (see {@link Enqueue}). */
  readonly enqueue: Enqueue = (name, payload, options) => this.add(name, payload, options);

  all(): Queue[] {
    return queueNames.map((n) => this.queue(n));
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
