import type { FastifyPluginAsync } from 'fastify';
import type { AppConfig } from '../config/load-config.js';
import type { Clock } from '../domain/types.js';
import { attemptsFor } from '../alerts/retry-schedule.js';
import { articleRoutes } from '../http/routes/articles.js';
import { deliveryRoutes } from '../http/routes/deliveries.js';
import { feedRoutes } from '../http/routes/feeds.js';
import { DeliveryStore } from '../store/delivery-store.js';
import { frameworkRoutes } from '../http/routes/framework.js';
import { jsonFeedRoutes } from '../http/routes/json-feeds.js';
import { reviewRoutes } from '../http/routes/review.js';
import { statsRoutes } from '../http/routes/stats.js';
import type { Metrics } from '../obs/metrics.js';
import type { QueueClient } from '../queues/queue-client.js';
import { ArticleStore } from '../store/article-store.js';
import type { Db } from '../store/db.js';
import type { FeedRegistry } from './feed-registry.js';
import { healthOf } from '../feeds/feed-state.js';
import { FeedStateStore } from '../store/feed-state-store.js';
import type { FeedHealthState } from '../domain/types.js';

const FEED_STATES: FeedHealthState[] = ['ok', 'degraded', 'failing', 'quiet', 'new'];

export interface ApiRoutesInput {
  config: AppConfig;
  db: Db;
  queues: QueueClient;
  feeds: FeedRegistry;
  metrics: Metrics;
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
  const feedState = new FeedStateStore(db);
  return {
    api: [
      articleRoutes({ articles, framework }),
      reviewRoutes({ articles, framework }),
      statsRoutes({ articles }),
      frameworkRoutes({ framework }),
      feedRoutes({ state: feedState, feeds: () => input.feeds.all() }),
      deliveryRoutes({ deliveries: new DeliveryStore(db), queues: input.queues, clock, deliveryAttempts: attemptsFor(config.settings.alerts.retrySchedule) }),
    ],
    subscriptions: [jsonFeedRoutes({ articles, publicUrl: config.publicUrl, framework })],
    refreshGauges: async () => {
      const states = await feedState.list(input.feeds.all().map((f) => f.id));
      const counts = new Map<string, number>(FEED_STATES.map((s) => [s, 0]));
      for (const feed of input.feeds.all()) {
        const state = states.get(feed.id);
        const health = state ? healthOf(state).state : 'new';
        counts.set(health, (counts.get(health) ?? 0) + 1);
      }
      for (const [state, n] of counts) input.metrics.feedsByHealth.set({ state }, n);
    },
  };
}
