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
});

/** Reads a JSONL dataset (`{id,title,text,labels,source?,license?}` per line); errors name the line. */
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
      out.push(parsed.data);
    });
  return out;
}

/**
 * The framework's own text as training examples, two per label: its name with its definition and table
 * cells (how the framework describes the topic), and its name with its terms and phrases (the words it is
 * recognised by). Two views rather than one let a framework word reach the n-gram vocabulary's document
 * frequency floor on the framework's authority alone, which generalises beyond any one publisher's style.
 * The terms view is English, as the training text is tokenised as English.
 */
export function frameworkExamples(framework: Framework): LabelledExample[] {
  return framework.labels.flatMap((l) => {
    const cells = Object.values(l.cells).flatMap((c) => Object.values(c).filter((v): v is string => typeof v === 'string'));
    const base = { title: l.name, labels: [l.id], frameworkText: true as const };
    return [
      { ...base, id: `framework:${l.id}`, text: [l.description, ...cells].join('. ') },
      { ...base, id: `framework:${l.id}:terms`, text: [...wordsIn(l.terms, 'en'), ...wordsIn(l.phrases, 'en')].join('. ') },
    ];
  });
}
