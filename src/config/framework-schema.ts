import { z } from 'zod';

/** The languages framewatch can tokenise and stem; a framework names the ones it covers in `languages`. */
export const SUPPORTED_LANGUAGES = ['en', 'uk', 'ru', 'de', 'fr'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];

const idSchema = z.string().regex(/^[a-z][a-z0-9-]*$/, 'ids are lower-case words joined by dashes');
const languageSchema = z.enum(SUPPORTED_LANGUAGES, { error: `a language framewatch supports: ${SUPPORTED_LANGUAGES.join(', ')}` });
const wordsSchema = z.array(z.string().min(1));

/**
 * Words in each covered language, written `{en: [...], uk: [...], ...}`. A plain list is English: frameworks
 * written before languages were added stay valid.
 */
const vocabularySchema = z.union([wordsSchema.transform((en): Vocabulary => ({ en })), z.partialRecord(languageSchema, wordsSchema)]);
export type Vocabulary = Partial<Record<Language, string[]>>;

/** The words of a vocabulary in one language (none when the language is not written). */
export function wordsIn(vocabulary: Vocabulary | undefined, lang: Language): string[] {
  return vocabulary?.[lang] ?? [];
}

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
    /** Single words and short terms (stemmed when matched), per language. */
    terms: vocabularySchema.default({}),
    /** Multi-word phrases matched in order, allowing a few words between (proximity), per language. */
    phrases: vocabularySchema.default({}),
  })
  .strict();

const groupSchema = z
  .object({ id: idSchema, name: z.string().min(1), description: z.string().default('') })
  .strict();

export const SANCTIONS_DIRECTIONS = ['imposed', 'tightened', 'eased', 'lifted'] as const;
export type SanctionsDirectionCue = (typeof SANCTIONS_DIRECTIONS)[number];

/** `extensions.sanctionsDirection`: which label carries a direction, and its cues per direction and language. */
const directionSchema = z
  .object({
    label: idSchema,
    cues: z.object(Object.fromEntries(SANCTIONS_DIRECTIONS.map((d) => [d, vocabularySchema.default({})])) as Record<SanctionsDirectionCue, z.ZodDefault<typeof vocabularySchema>>).strict(),
  })
  .strict();

/**
 * `extensions.anchoredCues`: per label, the named actors its language must be tied to (`entities`) and,
 * optionally, the cues that must appear beside them (`cues`; default: the label's own terms and phrases;
 * `labelTerms: true` adds those to `cues`).
 */
const anchoredSchema = z.record(
  idSchema,
  z
    .object({
      entities: vocabularySchema,
      cues: vocabularySchema.optional(),
      /** With `cues`: the label's own terms and phrases count as cues too. */
      labelTerms: z.boolean().default(false),
    })
    .strict(),
);

/** Sections owned by the classifier; the two it reads are typed so their problems are found at load time. */
const extensionsSchema = z
  .object({ sanctionsDirection: directionSchema.optional(), anchoredCues: anchoredSchema.optional() })
  .catchall(z.unknown())
  .default({});

export const frameworkFileSchema = z
  .object({
    name: z.string().min(1),
    source: z.string().optional(),
    /** The languages the framework's vocabulary covers; every vocabulary list must be written in each. */
    languages: z
      .array(languageSchema)
      .min(1)
      .refine((l) => new Set(l).size === l.length, 'a language is listed twice')
      .default(['en']),
    scope: z
      .object({
        description: z.string().min(1),
        /** Terms that place a text inside the framework's context (Russia, Ukraine, NATO, Kremlin, …). */
        anchors: vocabularySchema,
        /** Terms of other contexts (Iran, doping, …); they lower relevance by the share of the text they take. */
        counterAnchors: vocabularySchema.default({}),
        /**
         * Per label id: terms that place a text in context for that label only, where the label's own
         * definition widens the context (the dev README ties cybersecurity to "Russia, Ukraine or Europe";
         * for every other label Europe alone, as in the EU's institution names, is not the context).
         */
        labelAnchors: z.record(z.string(), vocabularySchema).default({}),
      })
      .strict(),
    groups: z.array(groupSchema).min(1),
    labels: z.array(labelSchema).min(1),
    extensions: extensionsSchema,
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
    for (const id of Object.keys(fw.scope.labelAnchors)) {
      if (!seen.has(id)) ctx.addIssue({ code: 'custom', path: ['scope', 'labelAnchors', id], message: `unknown label "${id}"` });
    }
    for (const issue of languageIssues(fw)) ctx.addIssue({ code: 'custom', ...issue });
  });

type ParsedFramework = z.output<typeof frameworkFileSchema>;

/**
 * Every vocabulary must speak every listed language and no other: a language the classifier covers but a
 * label cannot be recognised in would silently never apply to that language's articles.
 */
function languageIssues(fw: ParsedFramework): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const listed = new Set<Language>(fw.languages);
  // A list left out entirely takes its default (none in any language); one written must speak every language.
  const check = (vocabulary: Vocabulary | undefined, path: (string | number)[], rule: { required?: boolean; nonEmpty?: boolean } = {}): void => {
    if (vocabulary === undefined || (Object.keys(vocabulary).length === 0 && !rule.required)) return;
    for (const lang of fw.languages) {
      const words = vocabulary[lang];
      if (words === undefined) issues.push({ path: [...path, lang], message: `no "${lang}" list (languages: ${fw.languages.join(', ')})` });
      else if (rule.nonEmpty && words.length === 0) issues.push({ path: [...path, lang], message: `the "${lang}" list is empty` });
    }
    for (const lang of Object.keys(vocabulary) as Language[]) {
      if (!listed.has(lang)) issues.push({ path: [...path, lang], message: `"${lang}" is not in languages (${fw.languages.join(', ')})` });
    }
  };
  check(fw.scope.anchors, ['scope', 'anchors'], { required: true, nonEmpty: true });
  check(fw.scope.counterAnchors, ['scope', 'counterAnchors']);
  for (const [id, vocabulary] of Object.entries(fw.scope.labelAnchors)) check(vocabulary, ['scope', 'labelAnchors', id], { required: true, nonEmpty: true });
  fw.labels.forEach((label, i) => {
    for (const field of ['terms', 'phrases'] as const) {
      for (const lang of Object.keys(label[field]) as Language[]) {
        if (!listed.has(lang)) issues.push({ path: ['labels', i, field, lang], message: `"${lang}" is not in languages (${fw.languages.join(', ')})` });
      }
    }
    // A label may have only terms or only phrases in a language, but it must have some.
    for (const lang of fw.languages) {
      if (wordsIn(label.terms, lang).length + wordsIn(label.phrases, lang).length === 0) {
        issues.push({ path: ['labels', i, 'terms', lang], message: `label "${label.id}" has no terms or phrases in "${lang}" (languages: ${fw.languages.join(', ')})` });
      }
    }
  });
  const direction = fw.extensions.sanctionsDirection;
  if (direction) {
    if (!fw.labels.some((l) => l.id === direction.label)) issues.push({ path: ['extensions', 'sanctionsDirection', 'label'], message: `unknown label "${direction.label}"` });
    for (const d of SANCTIONS_DIRECTIONS) check(direction.cues[d], ['extensions', 'sanctionsDirection', 'cues', d]);
  }
  for (const [id, rule] of Object.entries(fw.extensions.anchoredCues ?? {})) {
    if (!fw.labels.some((l) => l.id === id)) issues.push({ path: ['extensions', 'anchoredCues', id], message: `unknown label "${id}"` });
    check(rule.entities, ['extensions', 'anchoredCues', id, 'entities'], { required: true, nonEmpty: true });
    check(rule.cues, ['extensions', 'anchoredCues', id, 'cues'], { nonEmpty: true });
  }
  return issues;
}

export type FrameworkFile = z.infer<typeof frameworkFileSchema>;
export type FrameworkLabel = FrameworkFile['labels'][number];
export type AnchoredCuesConfig = NonNullable<FrameworkFile['extensions']['anchoredCues']>;
export type SanctionsDirectionConfig = NonNullable<FrameworkFile['extensions']['sanctionsDirection']>;

/** The framework with its content-derived version. */
export interface Framework extends FrameworkFile {
  version: string;
}
