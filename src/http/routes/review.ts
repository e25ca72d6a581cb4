import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Framework } from '../../config/framework-schema.js';
import type { ArticleStore } from '../../store/article-store.js';
import { ReviewError, type LabelVerdict, type Verdict } from '../../store/record-review.js';
import { articleIdParamsSchema, articleRecordSchema, errorSchema } from '../article-schemas.js';
import { RequestValidationError, useZodSchemas } from '../zod-validation.js';

const labelList = z.array(z.string().min(1).max(100)).max(50);

export const reviewBodySchema = z
  .strictObject({
    confirm: labelList.default([]).meta({ description: 'Labels the classifier got right' }),
    reject: labelList.default([]).meta({ description: 'Labels the classifier got wrong' }),
    add: labelList.default([]).meta({ description: 'Labels the classifier missed (no evidence needed)' }),
    note: z.string().max(4000).optional(),
    reviewer: z.string().min(1).max(200).optional(),
  })
  .refine((b) => b.confirm.length + b.reject.length + b.add.length > 0, { message: 'give at least one label to confirm, reject or add', path: ['confirm'] });

type ReviewBody = z.output<typeof reviewBodySchema>;

/** `POST /articles/:id/review`: verdicts on an article's labels, stored with time, note and reviewer. */
export function reviewRoutes(deps: { articles: ArticleStore; framework: () => Framework }): FastifyPluginAsync {
  return async (app) => {
    useZodSchemas(app);
    app.post(
      '/articles/:id/review',
      {
        schema: {
          summary: 'Confirm, reject or add labels on an article',
          tags: ['review'],
          params: articleIdParamsSchema,
          body: reviewBodySchema,
          response: { 200: articleRecordSchema, 400: errorSchema, 404: errorSchema },
        },
      },
      async (req, reply) => {
        const { id } = req.params as z.output<typeof articleIdParamsSchema>;
        const body = req.body as ReviewBody;
        const framework = deps.framework();
        const groupsOf = new Map(framework.labels.map((l) => [l.id, l.groups]));
        const named: { kind: Verdict; field: string; index: number; label: string }[] = [];
        for (const [kind, field] of [['confirm', 'confirm'], ['reject', 'reject'], ['add', 'add']] as const) {
          body[field].forEach((label, index) => named.push({ kind, field, index, label }));
        }
        for (const n of named) {
          // Confirm/reject may name a label of an older framework still on the article; add must be a current one.
          if (n.kind === 'add' && !groupsOf.has(n.label)) throw new RequestValidationError(`${n.field}.${n.index}`, `"${n.label}" is not a label of the framework`);
        }
        const verdicts: LabelVerdict[] = named.map((n) => ({ label: n.label, verdict: n.kind, groups: groupsOf.get(n.label) ?? [] }));
        try {
          const record = await deps.articles.recordReview({ articleId: id, verdicts, note: body.note ?? null, reviewer: body.reviewer ?? null });
          if (!record) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no article ${id}` });
          return record;
        } catch (err) {
          if (err instanceof ReviewError) {
            const n = named[err.index];
            throw new RequestValidationError(n ? `${n.field}.${n.index}` : 'body', err.message);
          }
          throw err;
        }
      },
    );
  };
}
