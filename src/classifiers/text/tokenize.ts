import { stem } from './stem.js';
import { isStopword } from './stopwords.js';

/** One word of a text with where it sits. */
export interface Token {
  /** Porter stem of the lower-cased word. */
  stem: string;
  start: number;
  end: number;
  stop: boolean;
}

// Letters and digits; hyphens and apostrophes split words so "cease-fire" and "Russia's" stem like their parts.
const WORD = /[\p{L}\p{N}]+/gu;

/** Words of `text` with character offsets, lower-cased and stemmed. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const lower = m[0].toLowerCase();
    const start = m.index;
    out.push({ stem: stem(lower), start, end: start + m[0].length, stop: isStopword(lower) });
  }
  return out;
}

/** Stems of a framework term or phrase, stop words dropped (they vary freely between writers). */
export function patternStems(phrase: string): string[] {
  const toks = tokenize(phrase);
  const content = toks.filter((t) => !t.stop).map((t) => t.stem);
  return content.length > 0 ? content : toks.map((t) => t.stem);
}
