import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { wordsIn, type Framework } from '../config/framework-schema.js';

/** A labelled article for training or evaluation. */
export interface LabelledExample {
  id: string;
  title: string;
  text: string;
  labels: string[];
  source?: string;
  license?: string;
  /** Language code of the text (`en`, `uk`, `ru`, `de`, `fr`) where the dataset records it. */
  lang?: string;
  /** Id of the line this text was translated from: it shares that line's fold in cross-validation. */
  translatedFrom?: string;
  /**
   * Training-only text that states a label in the framework's own words (a label's definition and cells):
   * in context by definition, never held out for scoring.
   */
  frameworkText?: boolean;
}

const lineSchema = z.object({
  id: z.string().min(1),
  title: z.string().default(''),
  text: z.string(),
  labels: z.array(z.string()).default([]),
  source: z.string().optional(),
  license: z.string().optional(),
  lang: z.string().min(2).optional(),
  translatedFrom: z.string().min(1).optional(),
});

/** Reads a JSONL dataset (`{id,title,text,labels,source?,license?,lang?,translatedFrom?}` per line); errors name the line. */
export function readDataset(file: string): LabelledExample[] {
  const out: LabelledExample[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (err) {
        throw new Error(`${file}:${i + 1}: not JSON (${(err as Error).message})`, { cause: err });
      }
      const parsed = lineSchema.safeParse(json);
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
      const { lang, translatedFrom, ...rest } = parsed.data;
      // Optional fields stay absent rather than undefined: a model's hash must not depend on how a line was read.
      out.push({ ...rest, ...(lang !== undefined ? { lang } : {}), ...(translatedFrom !== undefined ? { translatedFrom } : {}) });
    });
  return out;
}

/**
 * The framework's own text as training examples per label: its name with its definition and table cells
 * (how the framework describes the topic, in its first language), and its name with its terms and phrases
 * in each language it covers (the words it is recognised by). Two views rather than one let a framework word reach the n-gram vocabulary's document
 * frequency floor on the framework's authority alone, which generalises beyond any one publisher's style.
 * The terms view is English, as the training text is tokenised as English.
 */
export function frameworkExamples(framework: Framework): LabelledExample[] {
  return framework.labels.flatMap((l) => {
    const cells = Object.values(l.cells).flatMap((c) => Object.values(c).filter((v): v is string => typeof v === 'string'));
    const base = { title: l.name, labels: [l.id], frameworkText: true as const };
    // One terms view per language the framework covers: each language's own words then reach the n-gram
    // vocabulary on the framework's authority, not only through the training texts written in it.
    const terms = framework.languages.map((lang, k) => ({
      ...base,
      id: k === 0 ? `framework:${l.id}:terms` : `framework:${l.id}:terms:${lang}`,
      lang,
      text: [...wordsIn(l.terms, lang), ...wordsIn(l.phrases, lang)].join('. '),
    }));
    return [{ ...base, id: `framework:${l.id}`, lang: framework.languages[0], text: [l.description, ...cells].join('. ') }, ...terms];
  });
}

/** The fold group of an example: a translation goes with the text it was translated from. */
export function foldGroup(example: Pick<LabelledExample, 'id' | 'translatedFrom'>): string {
  return example.translatedFrom ?? example.id;
}
