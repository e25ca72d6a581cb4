import type { FastifyInstance } from 'fastify';
import type { RedisClient } from '../queues/connection.js';
import type { AppConfig } from '../config/load-config.js';
import type { Clock } from '../domain/types.js';
import { buildHttpApp } from '../http/app.js';
import { healthRoutes } from '../http/routes/health.js';
import { metricsRoutes } from '../http/routes/metrics.js';
import { registerQueueDashboard } from '../http/routes/queue-dashboard.js';
import { deskAssetRoutes, deskPageRoutes } from '../http/routes/desk.js';
import { signInRoutes, signOutRoutes } from '../http/routes/sign-in.js';
import { loadDeskAssets } from '../http/desk-page.js';
import { RedisSessionStore } from '../http/sessions.js';
import type { Logger } from '../obs/logger.js';
import type { Metrics } from '../obs/metrics.js';
import type { QueueClient } from '../queues/queue-client.js';
import type { Db } from '../store/db.js';
import { buildApiRoutes } from './build-api-routes.js';
import type { FeedRegistry } from './feed-registry.js';
import { refreshQueueGauges } from './queue-gauges.js';
import type { WorkerHealth } from './worker-health.js';

export interface BuildApiInput {
  config: AppConfig;
  logger: Logger;
  metrics: Metrics;
  redis: RedisClient;
  db: Db | null;
  queues: QueueClient;
  feeds: FeedRegistry;
  health: WorkerHealth;
  clock: Clock;
}

/**
 * The HTTP API of this process: review API and JSON Feeds behind the token, the review desk behind a
 * session (or the token), health and metrics open.
 */
export async function buildApi(input: BuildApiInput): Promise<FastifyInstance> {
  const { config, logger, metrics, redis, db, queues } = input;
  if (!db) throw new Error('the API needs the database');
  const publicUrl = config.publicUrl;
  const apiToken = config.env.FRAMEWATCH_API_TOKEN ?? null;
  const routes = await buildApiRoutes({ config, db, queues, feeds: input.feeds, metrics, clock: input.clock });
  // Browser sessions (review desk, queue dashboard) live in Redis beside the queues, so every API process
  // accepts every session.
  const sessionTtlMs = config.settings.api.sessionTtl;
  const sessions = new RedisSessionStore(redis, { prefix: config.env.FRAMEWATCH_QUEUE_PREFIX, ttlMs: sessionTtlMs });
  const assets = loadDeskAssets();
  if (!assets) logger.warn('the review desk is not built (web/desk/dist is missing): run npm run build:desk');
  const desk = { apiToken, sessions: apiToken === null ? null : sessions, sessionTtlMs, assets, trustedOrigins: [new URL(publicUrl).origin] };
  const app = await buildHttpApp({
    logger,
    apiToken,
    settings: config.settings.api,
    publicUrl,
    apiRoutes: routes.api,
    subscriptionRoutes: routes.subscriptions,
    sessions: desk.sessions,
    sessionRoutes: [deskPageRoutes({ assets }), signOutRoutes(desk)],
    publicRoutes: [
      signInRoutes(desk),
      deskAssetRoutes(),
      healthRoutes({
        probes: [
          { name: 'redis', check: async () => void (await redis.ping()) },
          { name: 'database', check: () => db.ping() },
        ],
        workers: () => input.health.check(),
      }),
      metricsRoutes({
        metrics,
        refresh: async () => {
          await refreshQueueGauges(queues.all(), metrics);
          await routes.refreshGauges();
        },
      }),
    ],
  });
  await registerQueueDashboard(app, { queues: queues.all(), apiToken, sessions, sessionTtlMs });
  return app;
}
