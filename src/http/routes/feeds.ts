import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { FeedConfig } from '../../domain/types.js';
import type { FeedHealth } from '../../domain/feed-state.js';
import { healthOf, initialFeedState } from '../../feeds/feed-state.js';
import { redactedHealth, redactedHealthEvent } from '../../feeds/redacted-health.js';
import { redactUrl } from '../../obs/logger.js';
import type { FeedStateStore } from '../../store/feed-state-store.js';
import { repeatable, useZodSchemas } from '../zod-validation.js';

const stateSchema = z.enum(['ok', 'degraded', 'failing', 'quiet', 'new']);

export const feedListQuerySchema = z.strictObject({
  state: repeatable(stateSchema).optional(),
  tag: z.string().min(1).max(200).optional(),
});

const idParams = z.strictObject({ id: z.string().min(1).max(200) });

/** A configured feed as the API shows it: request options reduced to which ones are set (they hold secrets). */
export interface FeedView {
  id: string;
  url: string;
  name: string;
  intervalMs: number;
  tags: string[];
  request: { headers: string[]; userAgent: boolean; cookies: boolean; basicAuth: boolean; proxy: boolean };
  health: FeedHealth;
}

function view(feed: FeedConfig, health: FeedHealth): FeedView {
  const r = feed.request;
  return {
    id: feed.id,
    // Credentials in a feed URL (https://user:pass@…) stay in feeds.yaml: shown redacted, as the logs show them.
    url: redactUrl(feed.url),
    name: feed.name,
    intervalMs: feed.intervalMs,
    tags: feed.tags,
    request: { headers: Object.keys(r.headers ?? {}), userAgent: Boolean(r.userAgent), cookies: Boolean(r.cookies), basicAuth: Boolean(r.basicAuth), proxy: Boolean(r.proxy) },
    health: redactedHealth(health),
  };
}

export interface FeedRoutesDeps {
  state: FeedStateStore;
  /** The feeds configured now (follows reloads of feeds.yaml). */
  feeds: () => FeedConfig[];
}

/**
 * `GET /feeds` (the configured feeds with their health; filters `state` and `tag`) and `GET /feeds/:id`
 * (one feed, its health and recent `feed.health` events). Feeds removed from the configuration are not
 * listed even though their stored state is kept.
 */
export function feedRoutes(deps: FeedRoutesDeps): FastifyPluginAsync {
  return async (app) => {
    useZodSchemas(app);
    app.get('/feeds', { schema: { summary: 'Configured feeds with their health', tags: ['feeds'], querystring: feedListQuerySchema } }, async (req) => {
      const q = req.query as z.output<typeof feedListQuerySchema>;
      const feeds = deps.feeds();
      const states = await deps.state.list(feeds.map((f) => f.id));
      const items = feeds
        .filter((f) => !q.tag || f.tags.includes(q.tag))
        .map((f) => view(f, healthOf(states.get(f.id) ?? initialFeedState(f.id, f.url))))
        .filter((v) => !q.state || q.state.includes(v.health.state));
      const counts: Record<string, number> = {};
      for (const v of items) counts[v.health.state] = (counts[v.health.state] ?? 0) + 1;
      return { items, counts };
    });

    app.get('/feeds/:id', { schema: { summary: 'One feed with its health and recent health events', tags: ['feeds'], params: idParams } }, async (req, reply) => {
      const { id } = req.params as z.output<typeof idParams>;
      const feed = deps.feeds().find((f) => f.id === id);
      if (!feed) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no configured feed ${id}` });
      const state = (await deps.state.get(id)) ?? initialFeedState(feed.id, feed.url);
      return { ...view(feed, healthOf(state)), events: (await deps.state.recentHealthEvents(id, 20)).map(redactedHealthEvent) };
    });
  };
}
