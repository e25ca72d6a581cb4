import { z } from 'zod';

const endpointSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, dot, dash or underscore'),
    url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }),
    secret: z.string().regex(/^whsec_[A-Za-z0-9+/=]+$/, 'must be a Standard Webhooks secret: whsec_ followed by base64'),
  })
  .strict();

const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, dot, dash or underscore'),
    labels: z.array(z.string().min(1)).default([]),
    groups: z.array(z.string().min(1)).default([]),
    minScore: z.number().min(0).max(1).default(0),
    endpoints: z.array(z.string().min(1)).min(1, 'a rule needs at least one endpoint'),
  })
  .strict();

export const alertsFileSchema = z
  .object({
    endpoints: z.array(endpointSchema).default([]),
    rules: z.array(ruleSchema).default([]),
  })
  .strict()
  .superRefine((file, ctx) => {
    const ids = new Set(file.endpoints.map((e) => e.id));
    file.rules.forEach((rule, i) =>
      rule.endpoints.forEach((ep, j) => {
        if (!ids.has(ep)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'endpoints', j], message: `unknown endpoint "${ep}"` });
      }),
    );
  });

export type AlertsConfig = z.infer<typeof alertsFileSchema>;
export type AlertEndpoint = AlertsConfig['endpoints'][number];
export type AlertRule = AlertsConfig['rules'][number];
