import { z } from 'zod';
import type { ArticleQuery } from '../store/article-query.js';
import { isoDateParam, repeatable } from './zod-validation.js';

const id = z.string().regex(/^[a-z][a-z0-9-]*$/, 'an id: lower-case words joined by dashes').max(100);
const directions = ['imposed', 'tightened', 'eased', 'lifted', 'unclear'] as const;
const reviewStates = ['unreviewed', 'confirmed', 'rejected'] as const;

/**
 * Filters of `GET /api/articles`, also parsed by `framewatch results` so the CLI and the API accept exactly
 * the same parameters.
 */
export const articleFilterFields = {
  label: repeatable(id).optional().meta({ description: 'Label id; repeat for several (see labelMode)' }),
  labelMode: z.enum(['any', 'all']).default('any').meta({ description: 'Whether an article needs any or all of the labels' }),
  group: repeatable(id).optional().meta({ description: 'Group id; repeat for several (any)' }),
  feed: repeatable(z.string().min(1).max(200)).optional().meta({ description: 'Feed id or name the article was seen in' }),
  since: isoDateParam.optional().meta({ description: "From this time, inclusive, on the article's time (published, or first seen when later or unknown); ISO date or date-time" }),
  until: isoDateParam.optional().meta({ description: "Before this time, exclusive, on the article's time; ISO date or date-time" }),
  minScore: z.coerce.number().min(0).max(1).optional().meta({ description: 'Minimum score of the matching label' }),
  review: repeatable(z.enum(reviewStates)).optional().meta({ description: 'Review state of the matching label' }),
  direction: repeatable(z.enum(directions)).optional().meta({ description: 'Sanctions direction of the matching label' }),
  lang: repeatable(z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'a language tag such as en or de')).optional(),
  needsReview: z.enum(['true', 'false']).transform((v) => v === 'true').optional().meta({ description: 'Only articles flagged (or not) for review, e.g. low extraction confidence' }),
  tagged: z.enum(['true', 'false']).transform((v) => v === 'true').optional().meta({ description: 'Only articles with at least one label (or, false, with none)' }),
  q: z.string().min(1).max(500).optional().meta({ description: 'Full-text search over title and text: words, "phrases", OR, -word' }),
  sort: z.enum(['time', 'score']).default('time'),
};

export const articleListQuerySchema = z.strictObject({
  ...articleFilterFields,
  cursor: z.string().min(1).max(1000).optional().meta({ description: 'nextCursor of the previous page' }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  content: z.enum(['true', 'false']).default('false').transform((v) => v === 'true').meta({ description: 'Include text and html in list items' }),
});

export type ArticleFilterParams = z.output<z.ZodObject<typeof articleFilterFields>>;

/** The parsed parameters as the store's query. */
export function toArticleQuery(p: ArticleFilterParams & { cursor?: string; limit?: number; content?: boolean }): ArticleQuery {
  return {
    labels: p.label,
    labelMode: p.labelMode,
    groups: p.group,
    feeds: p.feed,
    since: p.since,
    until: p.until,
    minScore: p.minScore,
    review: p.review,
    direction: p.direction,
    lang: p.lang,
    needsReview: p.needsReview,
    tagged: p.tagged,
    q: p.q,
    sort: p.sort,
    cursor: p.cursor ?? null,
    limit: p.limit,
    includeContent: p.content,
  };
}

export const articleIdParamsSchema = z.strictObject({ id: z.string().min(1).max(200) });

const evidenceSchema = z.object({ text: z.string(), start: z.number().int(), end: z.number().int(), field: z.enum(['text', 'title']), terms: z.array(z.string()) });

const storedLabelSchema = z.object({
  id: z.string(),
  score: z.number(),
  groups: z.array(z.string()),
  evidence: z.array(evidenceSchema),
  features: z.array(z.string()).optional(),
  direction: z.enum(directions).optional(),
  directionEvidence: z.array(evidenceSchema).optional(),
  review: z.enum(reviewStates),
  source: z.enum(['classifier', 'reviewer']),
});

/** The stored record as the API returns it (documentation; replies are serialised as they are). */
export const articleRecordSchema = z.object({
  id: z.string(),
  canonicalUrl: z.string(),
  title: z.string(),
  byline: z.string().nullable(),
  publishedAt: z.string().nullable(),
  firstSeenAt: z.string(),
  fetchedAt: z.string().nullable(),
  lang: z.string().nullable(),
  text: z.string().nullable(),
  html: z.string().nullable(),
  summary: z.string(),
  extraction: z.object({ method: z.string(), confidence: z.number(), flags: z.array(z.string()), fallbackReason: z.string().nullable() }).nullable(),
  labels: z.array(storedLabelSchema),
  relevance: z.number().nullable(),
  framework: z.string().nullable(),
  model: z.string().nullable(),
  sightings: z.array(z.object({ feedId: z.string(), feedName: z.string(), link: z.string().nullable(), guid: z.string().nullable(), seenAt: z.string() })),
  trace: z.array(z.object({ stage: z.string(), at: z.string(), durationMs: z.number(), outcome: z.string(), reason: z.string().optional(), lang: z.string().nullable().optional() })),
  needsReview: z.boolean(),
  updatedAt: z.string(),
});

export const articleDetailSchema = articleRecordSchema.extend({
  reviews: z.array(
    z.object({ id: z.string(), articleId: z.string(), label: z.string(), verdict: z.enum(['confirm', 'reject', 'add']), note: z.string().nullable(), reviewer: z.string().nullable(), model: z.string().nullable(), at: z.string() }),
  ),
  history: z.array(z.object({ labels: z.array(z.unknown()), relevance: z.number().nullable(), framework: z.string().nullable(), model: z.string().nullable(), reason: z.string(), replacedAt: z.string() })),
});

export const errorSchema = z.object({ statusCode: z.number(), error: z.string(), message: z.string(), parameter: z.string().optional() });
