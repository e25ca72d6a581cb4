import type { FastifyPluginAsync } from 'fastify';
import type { Metrics } from '../../obs/metrics.js';

/** Prometheus text exposition at `/metrics`; `refresh` updates gauges read from Redis or the database first. */
export function metricsRoutes(deps: { metrics: Metrics; refresh?: () => Promise<void> }): FastifyPluginAsync {
  return async (app) => {
    app.get('/metrics', async (_req, reply) => {
      if (deps.refresh) await deps.refresh();
      return reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
    });
  };
}
