import type { Queue } from 'bullmq';
import type { Metrics } from '../obs/metrics.js';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;

/**
 * Reads queue depths and the oldest waiting job's age into the Prometheus gauges. BullMQ stamps jobs with the
 * wall clock, so their age is read against it (`now`), not against a stage's Clock.
 */
export async function refreshQueueGauges(queues: Queue[], metrics: Metrics, now = Date.now()): Promise<void> {
  await Promise.all(
    queues.map(async (queue) => {
      const counts = await queue.getJobCounts(...STATES);
      for (const state of STATES) metrics.queueDepth.set({ queue: queue.name, state }, counts[state] ?? 0);
      const [oldest] = await queue.getJobs(['waiting'], 0, 0, true);
      metrics.oldestWaiting.set({ queue: queue.name }, oldest ? Math.max(0, (now - oldest.timestamp) / 1000) : 0);
    }),
  );
}
