import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { FeedConfig } from '../domain/types.js';
import { durationSchema } from './duration.js';

const DEFAULT_INTERVAL_MS = 15 * 60_000;

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

const requestSchema = z
  .object({
    headers: z.record(z.string(), z.string()).optional(),
    userAgent: z.string().min(1).optional(),
    cookies: z.string().min(1).optional(),
    basicAuth: z.object({ username: z.string(), password: z.string() }).strict().optional(),
    proxy: z.url({ protocol: /^https?$/, message: 'must be an http(s) proxy URL' }).optional(),
  })
  .strict();

const feedEntrySchema = z
  .object({
    url: httpUrl,
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, dot, dash or underscore')
      .optional(),
    name: z.string().min(1).optional(),
    interval: durationSchema.optional(),
    tags: z.array(z.string().min(1)).default([]),
    request: requestSchema.optional(),
  })
  .strict();

export const feedsFileSchema = z
  .object({ feeds: z.array(feedEntrySchema).default([]) })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    file.feeds.forEach((f, i) => {
      // Refinements run even when a field failed: an invalid URL is already reported, and has no id.
      if (!f.id && !URL.canParse(f.url)) return;
      const id = f.id ?? feedIdFor(f.url);
      const first = seen.get(id);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['feeds', i, 'url'], message: `duplicate of feeds[${first}]` });
      } else seen.set(id, i);
    });
  })
  .transform((file): FeedConfig[] =>
    file.feeds.map((f) => ({
      id: f.id ?? feedIdFor(f.url),
      url: f.url,
      name: f.name ?? new URL(f.url).hostname,
      intervalMs: f.interval ?? DEFAULT_INTERVAL_MS,
      tags: f.tags,
      request: f.request ?? {},
    })),
  );

/** A readable, stable id: the host plus a short hash of the whole URL. */
export function feedIdFor(url: string): string {
  const host = new URL(url).hostname.replace(/^www\./, '').replace(/[^a-z0-9]+/g, '-');
  const hash = createHash('sha256').update(url).digest('hex').slice(0, 8);
  return `${host}-${hash}`;
}
