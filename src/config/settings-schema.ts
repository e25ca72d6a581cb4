import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { durationOrZeroSchema, durationSchema } from './duration.js';

/**
 * Default concurrency of a stage in one process: `perCore` jobs per core this process may use. The
 * extraction pool has a thread per core; a job also waits on the page, Redis and the next stage's queue,
 * so a fixed number either leaves a core idle on a big machine or piles work up on a small one.
 */
export const perCore = (perCoreJobs: number, cores = availableParallelism()) => Math.max(perCoreJobs, perCoreJobs * cores);

/**
 * Tunables in `config/settings.yaml` (optional; every field has a default). Each section belongs to one
 * part of the service; the README's configuration reference lists them.
 */
export const settingsFileSchema = z
  .object({
    fetch: z
      .object({
        timeout: durationSchema.default(20_000),
        maxBytes: z.number().int().positive().default(15 * 1024 * 1024),
        maxRedirects: z.number().int().min(0).max(20).default(5),
        userAgent: z.string().min(1).default('framewatch/0.1 (+https://github.com/framewatch/framewatch; news monitoring)'),
      })
      .strict()
      .prefault({}),
    poll: z
      .object({
        /** Bounds on the adaptive interval between polls of one feed. */
        floor: durationSchema.default(60_000),
        ceiling: durationSchema.default(24 * 3_600_000),
        /** Every N polls, fetch without ETag / Last-Modified (some servers keep a stale ETag). */
        unconditionalEvery: z.number().int().positive().default(10),
        perHostConcurrency: z.number().int().positive().default(2),
        // 0s: no gap, only the concurrency cap (feeds and pages of one's own, or a benchmark on one host).
        perHostGap: durationOrZeroSchema.default(1_000),
        // A poll mostly waits (the network, a 304, the per-host gap, which holds the job's slot), so one
        // process runs many: at 20, 2,000 feeds took 21 s per cycle with 0.15 cores busy; at 50, 16 s.
        concurrency: z.number().int().positive().default(50),
        /**
         * Entries taken from one feed per poll, newest first; the rest are left out and counted on the
         * feed's health. At most 5,000: the seen-set keeps each feed's newest 5,000 keys.
         */
        maxItemsPerPoll: z.number().int().positive().max(5_000).default(1_000),
      })
      .strict()
      .prefault({}),
    extract: z
      .object({
        engine: z.enum(['linkedom', 'jsdom']).default('linkedom'),
        minConfidence: z.number().min(0).max(1).default(0.5),
        /** A page still being extracted after this long has its thread stopped (the service and `framewatch extract`). */
        timeout: durationSchema.default(30_000),
        // Four per extraction thread: while one job waits on its page or on Redis, the thread has the next.
        concurrency: z.number().int().positive().default(() => perCore(4)),
      })
      .strict()
      .prefault({}),
    classify: z
      // Classifying runs on the main thread; two per core overlap one job's Redis round trips with another's work.
      .object({ concurrency: z.number().int().positive().default(() => perCore(2)) })
      .strict()
      .prefault({}),
    store: z
      .object({
        /** Drop article text and HTML after this long; labels and metadata stay. */
        retainText: durationSchema.optional(),
        // Store jobs running at once share a transaction (group commit): this bounds the batch.
        concurrency: z.number().int().positive().default(() => perCore(8)),
      })
      .strict()
      .prefault({}),
    alerts: z
      .object({
        /** Delays between delivery attempts (the Standard Webhooks schedule). */
        retrySchedule: z.array(durationSchema).default([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]),
        timeout: durationSchema.default(15_000),
        concurrency: z.number().int().positive().default(10),
      })
      .strict()
      .prefault({}),
    queues: z
      .object({
        /** How long a job's lock lasts without renewal; a worker that dies holds its jobs this long at most. */
        lockDuration: durationSchema.default(30_000),
        /** How often workers look for jobs whose worker died (stalled jobs) and put them back. */
        stalledInterval: durationSchema.default(30_000),
        /** A job whose worker dies more often than this fails for good (a poison article). */
        maxStalledCount: z.number().int().min(0).default(1),
        /** Bound on waiting for jobs in flight at shutdown before they are handed back to the queue. */
        shutdownGrace: durationSchema.default(25_000),
        /**
         * While a stage's dependency (PostgreSQL, Redis) is away, its jobs wait without spending attempts:
         * `initial` after the first failure, doubling up to `max` for as long as the outage lasts.
         */
        outageBackoff: z
          .object({ initial: durationSchema.default(1_000), max: durationSchema.default(60_000) })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    api: z
      .object({
        rateLimitPerMinute: z.number().int().positive().default(600),
        bodyLimitBytes: z.number().int().positive().default(1024 * 1024),
        /**
         * Whether to believe X-Forwarded-For/-Proto: `true` behind a reverse proxy that sets them (then the
         * session cookie is `Secure` when the proxy says HTTPS, and the rate limit counts the client's
         * address), or the proxies' addresses/CIDRs. Default false: the connection decides.
         */
        trustProxy: z.union([z.boolean(), z.array(z.string().min(1)).min(1)]).default(false),
        /** How long a browser session (queue dashboard) lasts after signing in with the token. */
        sessionTtl: durationSchema.default(12 * 3_600_000),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Settings = z.infer<typeof settingsFileSchema>;
