import type { Queue, Worker } from 'bullmq';
import type { WorkerStatus } from '../obs/worker-status.js';

/** How long waiting work may sit untouched by an idle local worker before the worker counts as stuck. */
const STUCK_AFTER_MS = 60_000;

interface Watched {
  worker: Worker;
  queue: Queue;
  lastActiveAt: number;
  running: number;
}

/**
 * Tells whether each local worker is really consuming. A BullMQ worker can stop taking jobs after a
 * connection reset while looking alive; the sign is work waiting in its queue while it sits idle.
 */
export class WorkerHealth {
  private readonly watched: Watched[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  watch(worker: Worker, queue: Queue): void {
    const entry: Watched = { worker, queue, lastActiveAt: this.now(), running: 0 };
    worker.on('active', () => {
      entry.running++;
      entry.lastActiveAt = this.now();
    });
    const settle = () => {
      entry.running = Math.max(0, entry.running - 1);
      entry.lastActiveAt = this.now();
    };
    worker.on('completed', settle);
    worker.on('failed', settle);
    worker.on('drained', () => (entry.lastActiveAt = this.now()));
    this.watched.push(entry);
  }

  async check(): Promise<WorkerStatus[]> {
    return Promise.all(
      this.watched.map(async (w): Promise<WorkerStatus> => {
        const stage = w.worker.name;
        if (!w.worker.isRunning()) return { stage, ok: false, reason: 'worker is not running' };
        if (w.worker.isPaused()) return { stage, ok: false, reason: 'worker is paused' };
        const idleFor = this.now() - w.lastActiveAt;
        if (w.running === 0 && idleFor > STUCK_AFTER_MS) {
          const waiting = await w.queue.getWaitingCount();
          if (waiting > 0) return { stage, ok: false, reason: `${waiting} jobs waiting while the worker was idle for ${Math.round(idleFor / 1000)} s` };
        }
        return { stage, ok: true };
      }),
    );
  }
}
