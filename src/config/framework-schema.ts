import { z } from 'zod';

const idSchema = z.string().regex(/^[a-z][a-z0-9-]*$/, 'ids are lower-case words joined by dashes');

/** The seed document's table cells for a label; which cells exist depends on the table it came from. */
const cellsSchema = z
  .object({
    proposedAction: z.string().optional(),
    expectedImpact: z.string().optional(),
    potentialOutcome: z.string().optional(),
    timeline: z.string().optional(),
    objective: z.string().optional(),
    shortTermImpact: z.string().optional(),
    longTermGoal: z.string().optional(),
  })
  .strict();

const labelSchema = z
  .object({
    id: idSchema,
    name: z.string().min(1),
    groups: z.array(idSchema).min(1, 'a label belongs to at least one group'),
    description: z.string().min(1),
    cells: z.record(idSchema, cellsSchema).default({}),
    /** Single words and short terms (stemmed when matched). */
    terms: z.array(z.string().min(1)).default([]),
    /** Multi-word phrases matched in order, allowing a few words between (proximity). */
    phrases: z.array(z.string().min(1)).default([]),
  })
  .strict();

const groupSchema = z
  .object({ id: idSchema, name: z.string().min(1), description: z.string().default('') })
  .strict();

export const frameworkFileSchema = z
  .object({
    name: z.string().min(1),
    source: z.string().optional(),
    scope: z
      .object({
        description: z.string().min(1),
        /** Terms that place a text inside the framework's context (Russia, Ukraine, NATO, Kremlin, …). */
        anchors: z.array(z.string().min(1)).min(1),
        /** Terms of other contexts (Iran, doping, …); they lower relevance by the share of the text they take. */
        counterAnchors: z.array(z.string().min(1)).default([]),
      })
      .strict(),
    groups: z.array(groupSchema).min(1),
    labels: z.array(labelSchema).min(1),
    /** Extra sections owned by the classifier (e.g. sanctions direction cues). */
    extensions: z.record(z.string(), z.unknown()).default({}),
  })
  .strict()
  .superRefine((fw, ctx) => {
    const groups = new Set(fw.groups.map((g) => g.id));
    const seen = new Set<string>();
    fw.labels.forEach((label, i) => {
      if (seen.has(label.id)) ctx.addIssue({ code: 'custom', path: ['labels', i, 'id'], message: `duplicate label "${label.id}"` });
      seen.add(label.id);
      label.groups.forEach((g, j) => {
        if (!groups.has(g)) ctx.addIssue({ code: 'custom', path: ['labels', i, 'groups', j], message: `unknown group "${g}"` });
      });
    });
  });

export type FrameworkFile = z.infer<typeof frameworkFileSchema>;
export type FrameworkLabel = FrameworkFile['labels'][number];

/** The framework with its content-derived version. */
export interface Framework extends FrameworkFile {
  version: string;
}
