import type { Worker } from 'bullmq';
import type { RedisClient } from '../queues/connection.js';
import type { AppConfig } from '../config/load-config.js';
import type { Classifier, Clock, SafeFetcher } from '../domain/types.js';
import type { InlineFollowOn } from '../pipeline/inline-follow-on.js';
import type { Logger } from '../obs/logger.js';
import type { Metrics } from '../obs/metrics.js';
import type { QueueName } from '../queues/definitions.js';
import type { QueueClient } from '../queues/queue-client.js';
import type { WorkStore } from '../queues/work-store.js';
import { loadClassifier } from '../classifiers/index.js';
import { ArticleSaveBatcher } from '../store/article-save-batcher.js';
import { ArticleStore } from '../store/article-store.js';
import type { Db } from '../store/db.js';
import { createClassifyWorker } from '../workers/classify-worker.js';
import { createExtractWorker } from '../workers/extract-worker.js';
import { RedisCanonicalClaims } from '../feeds/canonical-claims.js';
import { createMaintenanceWorker } from '../workers/maintenance-worker.js';
import { createPollWorker } from '../workers/poll-worker.js';
import { createStoreWorker } from '../workers/store-worker.js';
import type { FeedRegistry } from './feed-registry.js';
import type { ServiceRoles } from './service-options.js';
import { buildAlertWorkers } from './build-alert-workers.js';
import { buildPollDeps } from './build-poll-deps.js';
import { feedHealthEventsFrom } from '../alerts/feed-health-source.js';
import { FeedStateStore } from '../store/feed-state-store.js';
import { createExtractionRuntime } from './extraction-runtime.js';

export interface BuildWorkersInput {
  config: AppConfig;
  roles: ServiceRoles;
  logger: Logger;
  metrics: Metrics;
  /** BullMQ's connection. */
  redis: RedisClient;
  /** framewatch's own keys (seen items, titles, canonical claims): the auto-pipelined connection. */
  keys: RedisClient;
  prefix: string;
  queues: QueueClient;
  work: WorkStore;
  fetcher: SafeFetcher;
  /** Webhooks go to the user's own receivers: no per-host politeness gap, same address checks. */
  webhookFetcher: SafeFetcher;
  db: Db | null;
  feeds: FeedRegistry;
  clock: Clock;
}

export interface BuiltWorkers {
  workers: { stage: QueueName; worker: Worker }[];
  /** Stop functions of file watchers the stages own (alert rules). */
  watchers: (() => void)[];
  /** Releases what the stages hold beyond their workers (extraction threads). */
  close(): Promise<void>;
}

/** Creates the workers of the stages this process runs, each with only what it uses. */
export async function buildWorkers(input: BuildWorkersInput): Promise<BuiltWorkers> {
  const { config, roles, logger, metrics, redis, prefix, queues, work, fetcher, clock } = input;
  const common = { connection: redis, prefix, logger, metrics, recovery: config.settings.queues };
  const concurrency = (stage: QueueName, fallback: number) => roles.concurrency[stage] ?? fallback;
  const requireDb = (stage: string): Db => {
    if (!input.db) throw new Error(`the ${stage} stage needs the database`);
    return input.db;
  };
  const workers: BuiltWorkers['workers'] = [];
  const watchers: (() => void)[] = [];
  const closers: (() => Promise<void>)[] = [];
  // Made once and shared: the classify and store workers use them, and so does extract when this process
  // runs all three (the article then goes on in the extract job: src/pipeline/inline-follow-on.ts).
  const runs = (stage: QueueName) => roles.stages.includes(stage);
  const classifier: Classifier | null = runs('classify') ? await loadClassifier(config.framework, { warn: (message, details) => logger.warn(details, message) }) : null;
  if (classifier) logger.info({ framework: classifier.framework, model: classifier.model }, 'classifier loaded');
  const storeConcurrency = concurrency('store', config.settings.store.concurrency);
  // Group commit: the saves in flight in this process share transactions (one commit per batch).
  const articles = runs('store') ? new ArticleSaveBatcher(new ArticleStore(requireDb('store'), clock), { maxBatch: storeConcurrency, maxInFlight: 2 }) : null;
  // Built before the loop: the extract stage runs the alert job itself when this process runs alert too.
  const alertStages = roles.stages.filter((s): s is 'alert' | 'deliver' => s === 'alert' || s === 'deliver');
  const alertDb = alertStages.length > 0 ? requireDb(alertStages.join(' and ')) : null;
  const alerting = alertDb
    ? await buildAlertWorkers({
        ...common,
        config,
        queues,
        db: alertDb,
        clock,
        stages: alertStages,
        concurrency: (s) => concurrency(s, config.settings.alerts.concurrency),
        feedHealth: feedHealthEventsFrom(new FeedStateStore(alertDb), (id) => input.feeds.get(id)?.name),
        feedTags: (id) => input.feeds.get(id)?.tags ?? [],
        feeds: () => input.feeds.all(),
        fetcher: input.webhookFetcher,
      })
    : null;
  if (alerting) watchers.push(alerting.stopWatching);
  const inline: InlineFollowOn | undefined =
    classifier && articles
      ? {
          classifier: () => classifier,
          articles,
          ...(alerting?.alertArticle ? { alert: alerting.alertArticle } : {}),
          onHandOver: (step, articleId, err) => logger.warn({ articleId, err }, `${step} of article ${articleId} failed in the extract job; its ${step} job takes over`),
        }
      : undefined;

  for (const stage of roles.stages) {
    switch (stage) {
      case 'poll': {
        const poll = buildPollDeps({ config, redis: input.keys, prefix, db: requireDb('poll'), fetcher });
        workers.push({ stage, worker: createPollWorker({ ...common, concurrency: concurrency(stage, config.settings.poll.concurrency), work, queues, feeds: input.feeds, poll, clock }) });
        break;
      }
      case 'extract': {
        const extraction = createExtractionRuntime(config, logger);
        closers.push(() => extraction.close());
        workers.push({
          stage,
          worker: createExtractWorker({
            ...common,
            concurrency: concurrency(stage, config.settings.extract.concurrency),
            work,
            queues,
            clock,
            fetcher,
            canonicals: new RedisCanonicalClaims(input.keys, prefix),
            extract: extraction.deps,
            ...(inline ? { inline } : {}),
          }),
        });
        break;
      }
      case 'classify': {
        if (classifier) workers.push({ stage, worker: createClassifyWorker({ ...common, concurrency: concurrency(stage, config.settings.classify.concurrency), work, queues, clock, classifier: () => classifier }) });
        break;
      }
      case 'store': {
        if (articles) workers.push({ stage, worker: createStoreWorker({ ...common, concurrency: storeConcurrency, work, queues, articles, clock }) });
        break;
      }
      case 'alert':
      case 'deliver': {
        const worker = alerting?.workers.find((w) => w.stage === stage);
        if (worker) workers.push(worker);
        break;
      }
      case 'maintenance': {
        const articles = new ArticleStore(requireDb(stage), clock);
        workers.push({ stage, worker: createMaintenanceWorker({ ...common, concurrency: 1, articles, settings: config.settings.store, clock }) });
        break;
      }
    }
  }
  return { workers, watchers, close: async () => void (await Promise.all(closers.map((c) => c()))) };
}
