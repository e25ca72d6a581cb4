import { FetchError } from '../fetch/fetch-error.js';
import { TransientFetchError } from '../pipeline/extract.js';
import { redisUnavailableReason } from '../queues/redis-error.js';
import { databaseUnavailableReason } from '../store/database-error.js';

/** A dependency a stage waits on, away for now. */
export interface DependencyOutage {
  dependency: 'PostgreSQL' | 'Redis';
  reason: string;
}

/**
 * The dependency `err` says is away (the database, or Redis for the working documents, claims and indexes),
 * or null when the error is the job's own. The outside world's failures a stage reports (a page or a webhook
 * that cannot be reached) are never a dependency's, whatever their socket error says.
 */
export function dependencyOutageOf(err: unknown): DependencyOutage | null {
  if (err instanceof FetchError || err instanceof TransientFetchError) return null;
  const database = databaseUnavailableReason(err);
  if (database !== null) return { dependency: 'PostgreSQL', reason: database };
  const redis = redisUnavailableReason(err);
  if (redis !== null) return { dependency: 'Redis', reason: redis };
  return null;
}

/** The wait between two tries of a stage whose dependency is away: doubling from `initial`, never above `max`. */
export interface OutageBackoff {
  initial: number;
  max: number;
}

/** 1 s, 2 s, 4 s … 60 s: a blip costs a second, a long outage one try a minute per process. */
export const DEFAULT_OUTAGE_BACKOFF: OutageBackoff = { initial: 1_000, max: 60_000 };

/**
 * One stage worker's view of its dependency during an outage, so that a thousand waiting jobs do not each
 * knock on a database that is down: after a job met the outage, the others are held until the next try is
 * due (doubling each time the try fails, up to `max`); then the next jobs try, and one that gets through
 * ends the outage. Per process: each process finds out for itself.
 */
export class OutageGate {
  private failures = 0;
  private heldUntil = 0;
  private last: DependencyOutage | null = null;

  constructor(
    private readonly backoff: OutageBackoff = DEFAULT_OUTAGE_BACKOFF,
    private readonly now: () => number = Date.now,
  ) {}

  /** While the outage holds jobs back: how long until the next try is due, and what is away. */
  held(): { waitMs: number; outage: DependencyOutage } | null {
    const waitMs = this.heldUntil - this.now();
    return waitMs > 0 && this.last ? { waitMs, outage: this.last } : null;
  }

  /**
   * A job met the outage: how long it waits. The first failure after the last wait opens a new, longer one
   * (`opened`); jobs that were already running when it began wait for the same time without doubling it again.
   */
  failed(outage: DependencyOutage): { waitMs: number; opened: boolean } {
    this.last = outage;
    const current = this.held();
    if (current) return { waitMs: current.waitMs, opened: false };
    const waitMs = Math.min(this.backoff.max, this.backoff.initial * 2 ** Math.min(this.failures, 30));
    this.failures++;
    this.heldUntil = this.now() + waitMs;
    return { waitMs, opened: true };
  }

  /** A job of the stage got through: the outage, if there was one, is over (true when there was). */
  passed(): boolean {
    const wasOut = this.failures > 0;
    this.failures = 0;
    this.heldUntil = 0;
    this.last = null;
    return wasOut;
  }
}
