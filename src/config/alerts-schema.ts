import { z } from 'zod';
import { durationSchema } from './duration.js';

const idSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, dot, dash or underscore');
const secretSchema = z.string().regex(/^whsec_[A-Za-z0-9+/=]+$/, 'must be a Standard Webhooks secret: whsec_ followed by base64');

const endpointSchema = z
  .object({
    id: idSchema,
    url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }),
    /** One secret, or two while rotating (the receiver accepts either signature). */
    secret: z.union([secretSchema, z.array(secretSchema).min(1).max(2, 'at most two secrets at once (old and new while rotating)')]),
    /** `json` (the Standard Webhooks payload), `slack` (incoming-webhook blocks) or `discord` (embeds). */
    format: z.enum(['json', 'slack', 'discord']).default('json'),
    /** Extra request headers (e.g. a receiver's own auth header). */
    headers: z.record(z.string(), z.string()).default({}),
    /** An endpoint failing without a single success for this long is disabled (Standard Webhooks: 5 days). */
    disableAfter: durationSchema.default(5 * 86_400_000),
  })
  .strict();

const windowSchema = durationSchema;

const ruleSchema = z
  .object({
    id: idSchema,
    /** What the rule listens to: stored articles, feed health changes, or both. */
    events: z.array(z.enum(['article', 'feed.health'])).min(1).default(['article']),
    labels: z.array(z.string().min(1)).default([]),
    /** `any`: one of the labels is enough; `all`: the article carries every label. */
    labelMatch: z.enum(['any', 'all']).default('any'),
    groups: z.array(z.string().min(1)).default([]),
    minScore: z.number().min(0).max(1).default(0),
    /** Sanctions direction of a matching label (e.g. imposed, tightened). */
    direction: z.array(z.enum(['imposed', 'tightened', 'eased', 'lifted', 'unclear'])).default([]),
    /** Feed ids or names the article was seen in. */
    feeds: z.array(z.string().min(1)).default([]),
    feedTags: z.array(z.string().min(1)).default([]),
    /** Language codes; `en` also matches `en-GB`. */
    languages: z.array(z.string().min(2)).default([]),
    /** Any of these words or phrases (case-insensitive, whole words) in title or text. */
    keywords: z.array(z.string().min(1)).default([]),
    /** Any of these regular expressions (JavaScript syntax, case-insensitive) in title or text. */
    patterns: z.array(z.string().min(1)).default([]),
    /** Where keywords and patterns are looked for. */
    searchIn: z.array(z.enum(['title', 'text'])).min(1).default(['title', 'text']),
    /** Feed health states that fire a `feed.health` rule (default: any change). */
    healthStates: z.array(z.enum(['ok', 'degraded', 'failing', 'quiet', 'new'])).default([]),
    /** At most `max` alerts per `window`; further matches are recorded as throttled, not sent. */
    throttle: z.object({ max: z.number().int().positive(), window: windowSchema }).strict().optional(),
    /** Collect matches and send one message per window listing them. */
    digest: z.object({ window: windowSchema }).strict().optional(),
    /**
     * One alert per story: a near-duplicate (title + lead) of an article this rule already alerted on within
     * `window` sends nothing (`suppress`) or an `article.updated` event with "also reported by" (`update`).
     */
    dedupe: z
      .object({
        window: windowSchema.default(48 * 3_600_000),
        mode: z.enum(['suppress', 'update']).default('suppress'),
        /** Estimated Jaccard similarity of word 3-shingles at or above which two articles are one story. */
        threshold: z.number().min(0.05).max(1).default(0.5),
        enabled: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    endpoints: z.array(z.string().min(1)).min(1, 'a rule needs at least one endpoint'),
  })
  .strict()
  .superRefine((rule, ctx) => {
    rule.patterns.forEach((p, i) => {
      try {
        new RegExp(p, 'iu');
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['patterns', i], message: `invalid regular expression: ${(err as Error).message}` });
      }
    });
    if (rule.throttle && rule.digest) {
      ctx.addIssue({ code: 'custom', path: ['digest'], message: 'a rule is either throttled or digested, not both' });
    }
  });

export const alertsFileSchema = z
  .object({
    endpoints: z.array(endpointSchema).default([]),
    rules: z.array(ruleSchema).default([]),
    /** Endpoints told when another endpoint is disabled (`endpoint.disabled` events). */
    notify: z
      .object({ endpointDisabled: z.array(z.string().min(1)).default([]) })
      .strict()
      // Optional so the loader's "no alerts.yaml" fallback ({ endpoints: [], rules: [] }) stays a valid config.
      .optional(),
  })
  .strict()
  .superRefine((file, ctx) => {
    const ids = new Set<string>();
    file.endpoints.forEach((e, i) => {
      if (ids.has(e.id)) ctx.addIssue({ code: 'custom', path: ['endpoints', i, 'id'], message: `duplicate endpoint id "${e.id}"` });
      ids.add(e.id);
    });
    const ruleIds = new Set<string>();
    file.rules.forEach((rule, i) => {
      if (ruleIds.has(rule.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `duplicate rule id "${rule.id}"` });
      ruleIds.add(rule.id);
      rule.endpoints.forEach((ep, j) => {
        if (!ids.has(ep)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'endpoints', j], message: `unknown endpoint "${ep}"` });
      });
    });
    (file.notify?.endpointDisabled ?? []).forEach((ep, j) => {
      if (!ids.has(ep)) ctx.addIssue({ code: 'custom', path: ['notify', 'endpointDisabled', j], message: `unknown endpoint "${ep}"` });
    });
  });

export type AlertsConfig = z.infer<typeof alertsFileSchema>;
export type AlertEndpoint = AlertsConfig['endpoints'][number];
export type AlertRule = AlertsConfig['rules'][number];

/** An endpoint's signing secrets, newest first as written. */
export function endpointSecrets(endpoint: Pick<AlertEndpoint, 'secret'>): string[] {
  return Array.isArray(endpoint.secret) ? endpoint.secret : [endpoint.secret];
}
