import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every Prometheus metric framewatch exports, in one registry served at /metrics. */
export class Metrics {
  readonly registry = new Registry();

  readonly jobs = new Counter({
    name: 'framewatch_jobs_total',
    help: 'Jobs run per stage by outcome (completed, failed, retried; waited: held back, attempt kept, while PostgreSQL or Redis was away).',
    labelNames: ['stage', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly stageDuration = new Histogram({
    name: 'framewatch_stage_duration_seconds',
    help: 'Time spent in one job of a stage.',
    labelNames: ['stage'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly queueDepth = new Gauge({
    name: 'framewatch_queue_jobs',
    help: 'Jobs in a queue by state.',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });

  readonly oldestWaiting = new Gauge({
    name: 'framewatch_queue_oldest_waiting_seconds',
    help: 'Age of the oldest waiting job per queue.',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  readonly feedsByHealth = new Gauge({
    name: 'framewatch_feeds',
    help: 'Feeds by health state.',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  readonly articlesByMethod = new Counter({
    name: 'framewatch_articles_extracted_total',
    help: 'Articles extracted by method (readability, feed-content, feed-summary).',
    labelNames: ['method'] as const,
    registers: [this.registry],
  });

  readonly labelsApplied = new Counter({
    name: 'framewatch_labels_applied_total',
    help: 'Labels applied by the classifier.',
    labelNames: ['label'] as const,
    registers: [this.registry],
  });

  readonly deliveries = new Counter({
    name: 'framewatch_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'framewatch_' });
  }
}
