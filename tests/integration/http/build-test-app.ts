import type { FastifyInstance } from 'fastify';
import { loadFramework } from '../../../src/config/load-config.js';
import { settingsFileSchema } from '../../../src/config/settings-schema.js';
import { buildHttpApp } from '../../../src/http/app.js';
import { articleRoutes } from '../../../src/http/routes/articles.js';
import { frameworkRoutes } from '../../../src/http/routes/framework.js';
import { jsonFeedRoutes } from '../../../src/http/routes/json-feeds.js';
import { reviewRoutes } from '../../../src/http/routes/review.js';
import { statsRoutes } from '../../../src/http/routes/stats.js';
import { silentLogger } from '../../../src/obs/logger.js';
import type { ArticleStore } from '../../../src/store/article-store.js';

/** The framework the service ships with: tests use its real label and group ids. */
export const framework = loadFramework('config/framework.yaml');

export const TOKEN = 'test-token-0123456789';

/** The API as the service assembles it, over the given store. */
export function buildTestApp(articles: ArticleStore, options: { rateLimitPerMinute?: number; bodyLimitBytes?: number; apiToken?: string | null } = {}): Promise<FastifyInstance> {
  const defaults = settingsFileSchema.parse({}).api;
  const publicUrl = 'https://framewatch.example';
  return buildHttpApp({
    logger: silentLogger,
    apiToken: options.apiToken === undefined ? TOKEN : options.apiToken,
    settings: { ...defaults, rateLimitPerMinute: options.rateLimitPerMinute ?? defaults.rateLimitPerMinute, bodyLimitBytes: options.bodyLimitBytes ?? defaults.bodyLimitBytes },
    publicUrl,
    apiRoutes: [
      articleRoutes({ articles, framework: () => framework }),
      reviewRoutes({ articles, framework: () => framework }),
      statsRoutes({ articles }),
      frameworkRoutes({ framework: () => framework }),
    ],
    publicRoutes: [async (app) => void app.get('/healthz', async () => ({ status: 'ok' }))],
    subscriptionRoutes: [jsonFeedRoutes({ articles, publicUrl, framework: () => framework })],
  });
}

export const auth = { authorization: `Bearer ${TOKEN}` };
