import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { withSanitizedHtml } from '../../extract/safe-html.js';
import type { ArticleStore } from '../../store/article-store.js';
import { articleDetailSchema, articleIdParamsSchema, articleListQuerySchema, articleRecordSchema, errorSchema, toArticleQuery } from '../article-schemas.js';
import { useZodSchemas } from '../zod-validation.js';

/** `GET /articles` (filtered, keyset-paged) and `GET /articles/:id` (the whole record); mounted under /api. */
export function articleRoutes(deps: { articles: ArticleStore }): FastifyPluginAsync {
  return async (app) => {
    useZodSchemas(app);

    app.get(
      '/articles',
      {
        schema: {
          summary: 'List stored articles, newest or best-scoring first',
          tags: ['articles'],
          querystring: articleListQuerySchema,
          response: { 200: z.object({ items: z.array(articleRecordSchema), nextCursor: z.string().nullable() }), 400: errorSchema },
        },
      },
      async (req) => {
        const page = await deps.articles.listArticles(toArticleQuery(req.query as z.output<typeof articleListQuerySchema>));
        // Sanitised again when served: rows stored before the extract stage sanitised are safe too.
        return { ...page, items: page.items.map(withSanitizedHtml) };
      },
    );

    app.get(
      '/articles/:id',
      {
        schema: {
          summary: 'One article with labels, evidence, sightings, trace, verdicts and classification history',
          tags: ['articles'],
          params: articleIdParamsSchema,
          response: { 200: articleDetailSchema, 404: errorSchema },
        },
      },
      async (req, reply) => {
        const { id } = req.params as z.output<typeof articleIdParamsSchema>;
        const detail = await deps.articles.getArticleDetail(id);
        if (!detail) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no article ${id}` });
        return withSanitizedHtml(detail);
      },
    );
  };
}
