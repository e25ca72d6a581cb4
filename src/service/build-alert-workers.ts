import type { Worker } from 'bullmq';
import type { RedisClient } from '../queues/connection.js';
import { AlertRuleRegistry } from '../alerts/rule-registry.js';
import { attemptsFor } from '../alerts/retry-schedule.js';
import type { FeedHealthAlertEvents } from '../alerts/feed-health-event.js';
import type { AppConfig } from '../config/load-config.js';
import type { Clock, FeedConfig, SafeFetcher } from '../domain/types.js';
import { alertReferencesOf } from '../config/alert-references.js';
import type { Logger } from '../obs/logger.js';
import type { Metrics } from '../obs/metrics.js';
import type { QueueClient } from '../queues/queue-client.js';
import { pgAlertStorage } from '../store/alert-storage.js';
import { ArticleStore } from '../store/article-store.js';
import type { Db } from '../store/db.js';
import { runAlertJob } from '../pipeline/alert.js';
import { alertJobDeps, createAlertWorker, type AlertWorkerDeps } from '../workers/alert-worker.js';
import { createDeliverWorker } from '../workers/deliver-worker.js';
import type { WorkerRecovery } from '../workers/stage-worker.js';

export interface AlertWorkersInput {
  connection: RedisClient;
  prefix: string;
  logger: Logger;
  metrics: Metrics;
  recovery?: WorkerRecovery;
  config: AppConfig;
  queues: QueueClient;
  db: Db;
  fetcher: SafeFetcher;
  clock: Clock;
  feedHealth?: FeedHealthAlertEvents;
  feedTags: (feedId: string) => string[];
  /** The configured feeds as of now (they follow feeds.yaml). */
  feeds: () => FeedConfig[];
  stages: ('alert' | 'deliver')[];
  concurrency: (stage: 'alert' | 'deliver') => number;
}

/**
 * The alert and deliver workers share one rule registry that follows alerts.yaml, so both see the
 * same rules and a rule edit takes effect without a restart.
 */
export interface AlertWorkers {
  workers: { stage: 'alert' | 'deliver'; worker: Worker }[];
  /** The alert job for one stored article, run in the caller's job (set when this process runs alert). */
  alertArticle?: (articleId: string) => Promise<Record<string, unknown>>;
  stopWatching: () => void;
}

export async function buildAlertWorkers(input: AlertWorkersInput): Promise<AlertWorkers> {
  const { config, logger } = input;
  // A reloaded rule is checked against the framework and the feeds configured now.
  const registry = new AlertRuleRegistry(config.files.alerts, config.alerts, logger, () => alertReferencesOf(config.framework, input.feeds()));
  const stopWatching = registry.watch();
  const rules = () => registry.current();
  const { publicUrl } = config;
  const storage = pgAlertStorage(input.db);
  const common = { connection: input.connection, prefix: input.prefix, logger, metrics: input.metrics, recovery: input.recovery, queues: input.queues };
  const workers: { stage: 'alert' | 'deliver'; worker: Worker }[] = [];
  let alertArticle: AlertWorkers['alertArticle'];
  if (input.stages.includes('alert')) {
    const deps: AlertWorkerDeps = {
      ...common,
      concurrency: input.concurrency('alert'),
      alert: { storage, rules, clock: input.clock, publicUrl, match: { feedTags: input.feedTags } },
      articles: new ArticleStore(input.db, input.clock),
      feedHealth: input.feedHealth,
      deliveryAttempts: attemptsFor(config.settings.alerts.retrySchedule),
    };
    workers.push({ stage: 'alert', worker: createAlertWorker(deps) });
    const job = alertJobDeps(deps);
    alertArticle = (articleId) => runAlertJob({ kind: 'article', articleId }, job);
  }
  if (input.stages.includes('deliver')) {
    workers.push({
      stage: 'deliver',
      worker: createDeliverWorker({
        ...common,
        concurrency: input.concurrency('deliver'),
        deliver: { storage, fetcher: input.fetcher, rules, clock: input.clock, timeoutMs: config.settings.alerts.timeout, publicUrl },
        retrySchedule: config.settings.alerts.retrySchedule,
      }),
    });
  }
  return { workers, stopWatching, ...(alertArticle ? { alertArticle } : {}) };
}
