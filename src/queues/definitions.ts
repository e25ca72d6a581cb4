import { z } from 'zod';

/**
 * The one table of queues and their payloads. Payloads are parsed when enqueued and again when a worker
 * takes them, because Redis may hold jobs written by an older version. Jobs carry ids, never documents.
 *
 * The chain reads top to bottom: poll → extract → classify → store → alert → deliver.
 */
export const queuePayloads = {
  poll: z.object({ feedId: z.string().min(1) }),
  /** `deferred`: how often this job already waited out the page's Retry-After (bounded; see pipeline/extract.ts). */
  extract: z.object({ articleId: z.string().min(1), deferred: z.number().int().min(0).optional() }),
  classify: z.object({ articleId: z.string().min(1) }),
  store: z.object({ articleId: z.string().min(1) }),
  alert: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('article'), articleId: z.string().min(1) }),
    z.object({ kind: z.literal('feed-health'), feedId: z.string().min(1), eventId: z.string().min(1) }),
    /** Flush one digest window of a rule (a delayed job, scheduled when the window's first match came in). */
    z.object({ kind: z.literal('digest'), ruleId: z.string().min(1), windowStart: z.string().min(1) }),
  ]),
  deliver: z.object({ deliveryId: z.string().min(1) }),
  maintenance: z.object({ task: z.enum(['retention']) }),
} as const;

export type QueueName = keyof typeof queuePayloads;
export type QueuePayload<Q extends QueueName> = z.infer<(typeof queuePayloads)[Q]>;

export const queueNames = Object.keys(queuePayloads) as QueueName[];

/** The stages a `worker --stages` process can run. */
export const stageNames: QueueName[] = ['poll', 'extract', 'classify', 'store', 'alert', 'deliver', 'maintenance'];

/** What a stage may say about a job it hands on: a deterministic id, and a delay or retry policy when it has one. */
export interface EnqueueOptions {
  jobId: string;
  delay?: number;
  attempts?: number;
  backoff?: { type: string };
}

/**
 * Hands one job on to a queue (`QueueClient.enqueue` in a service, an in-memory list in `scan` and tests).
 * Stages take this function rather than the client, so a stage's routing is tested without BullMQ.
 */
export type Enqueue = <Q extends QueueName>(queue: Q, payload: QueuePayload<Q>, options: EnqueueOptions) => Promise<void>;

export function parsePayload<Q extends QueueName>(queue: Q, data: unknown): QueuePayload<Q> {
  return queuePayloads[queue].parse(data) as QueuePayload<Q>;
}

/** Deterministic job ids: any stage may be enqueued twice and runs once. BullMQ forbids ':' in custom ids. */
export const jobIds = {
  extract: (articleId: string, revision = '') => `extract-${articleId}${revision ? `-${revision}` : ''}`,
  classify: (articleId: string, version = '') => `classify-${articleId}${version ? `-${version}` : ''}`,
  store: (articleId: string, revision: string) => `store-${articleId}-${revision}`,
  alertArticle: (articleId: string, revision: string) => `alert-${articleId}-${revision}`,
  alertFeedHealth: (eventId: string) => `alert-feed-${eventId}`,
  alertDigest: (ruleId: string, windowStart: string) => `alert-digest-${ruleId}-${Date.parse(windowStart)}`,
  deliver: (deliveryId: string) => `deliver-${deliveryId}`,
  /** The poll a feed gets at once when its scheduler is created (the schedule's first tick can be far off). */
  firstPoll: (feedId: string) => `poll-first-${feedId}`,
};
