import { indexStems, matchPatterns, type Match, type Pattern, type StemIndex } from './patterns.js';
import type { CompoundSplitter } from './text/compounds.js';
import type { Lang } from './text/lang.js';
import { splitSentences, type Span } from './text/sentences.js';
import { tokenize, type Token } from './text/tokenize.js';

/** One analysed field of an article (its title or its text). */
export interface FieldView {
  field: 'title' | 'text';
  source: string;
  tokens: Token[];
  index: StemIndex;
  sentences: Span[];
  /** Character offset where the lead ends (the first sentences, weighted like a second title). */
  leadEnd: number;
}

/** An article tokenised once and shared by the scope gate, the features and the evidence. */
export interface AnalysedDocument {
  /** The language both fields were read in. */
  lang: Lang;
  title: FieldView;
  text: FieldView;
}

/** How to read an article's words beyond its language. */
export interface AnalyseOptions {
  /** Splits compounds of its language into known parts (German: the framework's German words). */
  compounds?: CompoundSplitter;
}

// The first two sentences state what a release or report is about; later ones add context.
const LEAD_SENTENCES = 2;
const LEAD_MAX_CHARS = 600;
/** How much a match counts by where it sits: the title and lead say what the article is about. */
export const TITLE_WEIGHT = 2;
export const LEAD_WEIGHT = 1.5;

/** Tokenises and splits an article's title and text in its language (English when none is given). */
export function analyse(input: { title: string; text: string; lang?: Lang }, options: AnalyseOptions = {}): AnalysedDocument {
  const lang = input.lang ?? 'en';
  return { lang, title: view('title', input.title, lang, options), text: view('text', input.text, lang, options) };
}

function view(field: 'title' | 'text', source: string, lang: Lang, options: AnalyseOptions): FieldView {
  const tokens = tokenize(source, lang, options.compounds);
  const sentences = splitSentences(source, lang);
  const leadEnd = field === 'title' ? source.length : Math.min(sentences[LEAD_SENTENCES - 1]?.end ?? source.length, LEAD_MAX_CHARS);
  return { field, source, tokens, index: indexStems(tokens), sentences, leadEnd };
}

/** A match with the field it was found in and the weight its position gives it. */
export interface PlacedMatch extends Match {
  field: 'title' | 'text';
  positionWeight: number;
}

export function matchDocument(doc: AnalysedDocument, patterns: readonly Pattern[]): PlacedMatch[] {
  const out: PlacedMatch[] = [];
  for (const f of [doc.title, doc.text]) {
    for (const m of matchPatterns(f.tokens, f.index, patterns)) {
      const positionWeight = f.field === 'title' ? TITLE_WEIGHT : m.start < f.leadEnd ? LEAD_WEIGHT : 1;
      out.push({ ...m, field: f.field, positionWeight });
    }
  }
  return out;
}

/** Sum of pattern weight × position weight over matches. */
export function weightedCount(matches: readonly PlacedMatch[]): number {
  let sum = 0;
  for (const m of matches) sum += m.pattern.weight * m.positionWeight;
  return sum;
}

/** Index of the sentence of `f` that contains character `at` (binary search), or -1 between sentences. */
export function sentenceIndexAt(f: FieldView, at: number): number {
  let lo = 0;
  let hi = f.sentences.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = f.sentences[mid] as { start: number; end: number };
    if (at < s.start) hi = mid - 1;
    else if (at >= s.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}
