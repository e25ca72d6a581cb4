import type { FastifyPluginAsync } from 'fastify';
import type { AppConfig } from '../config/load-config.js';
import type { Clock } from '../domain/types.js';
import { articleRoutes } from '../http/routes/articles.js';
import { frameworkRoutes } from '../http/routes/framework.js';
import { jsonFeedRoutes } from '../http/routes/json-feeds.js';
import { reviewRoutes } from '../http/routes/review.js';
import { statsRoutes } from '../http/routes/stats.js';
import type { Metrics } from '../obs/metrics.js';
import type { QueueClient } from '../queues/queue-client.js';
import { ArticleStore } from '../store/article-store.js';
import type { Db } from '../store/db.js';
import type { FeedRegistry } from './feed-registry.js';

export interface ApiRoutesInput {
  config: AppConfig;
  db: Db;
  queues: QueueClient;
  feeds: FeedRegistry;
  metrics: Metrics;
  publicUrl: string;
  clock: Clock;
}

/** Every route plugin of the API, each given only the stores it reads. */
export async function buildApiRoutes(input: ApiRoutesInput): Promise<{
  api: FastifyPluginAsync[];
  subscriptions: FastifyPluginAsync[];
  refreshGauges: () => Promise<void>;
}> {
  const { config, db, clock } = input;
  const articles = new ArticleStore(db, clock);
  const framework = () => config.framework;
  return {
    api: [articleRoutes({ articles }), reviewRoutes({ articles, framework }), statsRoutes({ articles }), frameworkRoutes({ framework })],
    subscriptions: [jsonFeedRoutes({ articles, publicUrl: input.publicUrl, framework })],
    refreshGauges: async () => undefined,
  };
}
