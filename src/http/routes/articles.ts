import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Framework } from '../../config/framework-schema.js';
import { withSanitizedHtml } from '../../extract/safe-html.js';
import type { ArticleStore } from '../../store/article-store.js';
import { articleDetailSchema, articleIdParamsSchema, articleListQuerySchema, articleRecordSchema, errorSchema, toArticleQuery } from '../article-schemas.js';
import { RequestValidationError, useZodSchemas } from '../zod-validation.js';

/**
 * A label or group the framework does not have: 400 naming the parameter, as `/feeds/labels/nope.json` is
 * a 404, rather than an empty list that looks like "nothing matched yet".
 */
export function checkFrameworkFilters(framework: Pick<Framework, 'labels' | 'groups'>, query: { label?: string[]; group?: string[] }): void {
  const label = query.label?.find((id) => !framework.labels.some((l) => l.id === id));
  if (label !== undefined) throw new RequestValidationError('label', `"${label}" is not a label of the framework (see /api/framework)`);
  const group = query.group?.find((id) => !framework.groups.some((g) => g.id === id));
  if (group !== undefined) throw new RequestValidationError('group', `"${group}" is not a group of the framework (see /api/framework)`);
}

/** `GET /articles` (filtered, keyset-paged) and `GET /articles/:id` (the whole record); mounted under /api. */
export function articleRoutes(deps: { articles: ArticleStore; framework: () => Pick<Framework, 'labels' | 'groups'> }): FastifyPluginAsync {
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
        const query = req.query as z.output<typeof articleListQuerySchema>;
        checkFrameworkFilters(deps.framework(), query);
        const page = await deps.articles.listArticles(toArticleQuery(query));
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
