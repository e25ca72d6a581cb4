import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { ArticleStore } from '../../store/article-store.js';
import { errorSchema } from '../article-schemas.js';
import { isoDateParam, useZodSchemas } from '../zod-validation.js';

export const statsQuerySchema = z.strictObject({ since: isoDateParam.optional(), until: isoDateParam.optional() });

const statsSchema = z.object({
  since: z.string().nullable(),
  until: z.string().nullable(),
  articles: z.number(),
  days: z.array(z.object({ day: z.string(), articles: z.number(), labels: z.record(z.string(), z.number()), groups: z.record(z.string(), z.number()) })),
  labels: z.array(z.object({ label: z.string(), articles: z.number(), reviewed: z.number(), confirmed: z.number(), rejected: z.number(), added: z.number() })),
  reviewedShare: z.number().nullable().meta({ description: "Share of the classifier's labels a reviewer confirmed or rejected" }),
  reviewedArticleShare: z.number().nullable().meta({ description: 'Share of articles with at least one verdict' }),
  agreement: z.array(z.object({ label: z.string(), model: z.string().nullable(), confirmed: z.number(), rejected: z.number(), precision: z.number().nullable() })),
});

/** `GET /stats`: counts per label and group per day, reviewed share and reviewer agreement per model version. */
export function statsRoutes(deps: { articles: ArticleStore }): FastifyPluginAsync {
  return async (app) => {
    useZodSchemas(app);
    app.get(
      '/stats',
      { schema: { summary: 'Counts per day, reviewed share, reviewer agreement', tags: ['stats'], querystring: statsQuerySchema, response: { 200: statsSchema, 400: errorSchema } } },
      async (req) => deps.articles.stats(req.query as z.output<typeof statsQuerySchema>),
    );
  };
}
