import type { FastifyPluginAsync } from 'fastify';
import type { Framework } from '../../config/framework-schema.js';

/** `GET /framework`: the active framework (groups, labels with their table cells and terms) and its version. */
export function frameworkRoutes(deps: { framework: () => Framework }): FastifyPluginAsync {
  return async (app) => {
    app.get('/framework', { schema: { summary: 'The active framework and its version', tags: ['framework'] } }, async () => deps.framework());
  };
}
