import type { Language } from '../config/framework-schema.js';
import { PHRASE_LINKS } from './grammar.js';
import { patternStems, tokenize, type Token } from './text/tokenize.js';

// Framework terms and phrases compiled to stems, and their matching against an article's tokens: the layer
// under the document, the lexicon and the cue rules, so none of them needs another to match a pattern.

/** A framework term or phrase ready to match: its stems in order and how far apart they may be. */
export interface Pattern {
  /** As written in framework.yaml (shown as a matched term in evidence). */
  text: string;
  stems: string[];
  /** Extra tokens allowed between consecutive stems (proximity). */
  maxGap: number;
  weight: number;
  /**
   * Per gap between consecutive stems, the prepositions one of which must occur in it (null: none needed);
   * from the phrase's own preposition, so "weapons to Ukraine" does not match "drones fired at Ukraine".
   */
  links?: (readonly string[] | null)[];
}

/** One occurrence of a pattern, as token indexes and character offsets. */
export interface Match {
  pattern: Pattern;
  firstToken: number;
  lastToken: number;
  start: number;
  end: number;
}

// A multi-word *term* is nearly fixed ("security assistance"); a *phrase* is matched loosely because writers
// insert words ("sanctions imposed today on Russia"). Phrases weigh more: they are rarer and more specific.
const TERM_GAP = 1;
const PHRASE_GAP = 3;
const SHORT_PHRASE_GAP = 2;
const TERM_WEIGHT = 1;
const PHRASE_WEIGHT = 1.5;

/** Compiles terms or phrases written in `lang` with that language's stemming and prepositions. */
export function compilePatterns(items: readonly string[], kind: 'term' | 'phrase', lang: Language = 'en'): Pattern[] {
  const seen = new Set<string>();
  const out: Pattern[] = [];
  for (const text of items) {
    const { stems, links } = kind === 'phrase' ? phraseShape(text, lang) : { stems: patternStems(text, lang), links: undefined };
    const key = `${stems.join(' ')}|${(links ?? []).map((l) => l?.[0] ?? '').join(' ')}`;
    if (stems.length === 0 || seen.has(key)) continue;
    seen.add(key);
    // A two-word phrase with three words inserted is barely that phrase any more ("weapons to Ukraine" is not
    // "weapons from the line of contact in eastern Ukraine"); longer phrases keep their own structure.
    const gap = kind === 'term' ? TERM_GAP : stems.length <= 2 ? SHORT_PHRASE_GAP : PHRASE_GAP;
    const pattern: Pattern = { text, stems, maxGap: gap, weight: kind === 'term' ? TERM_WEIGHT : PHRASE_WEIGHT };
    if (links?.some((l) => l !== null)) pattern.links = links;
    out.push(pattern);
  }
  return out;
}

const linkClasses = new Map<Language, readonly (readonly string[])[]>();

/** A language's preposition classes as stems, as tokens carry them. */
function linkClassesOf(lang: Language): readonly (readonly string[])[] {
  let classes = linkClasses.get(lang);
  if (!classes) {
    classes = PHRASE_LINKS[lang].map((c) => c.map((w) => tokenize(w, lang)[0]?.stem ?? w));
    linkClasses.set(lang, classes);
  }
  return classes;
}

/**
 * A phrase's content stems and, for each gap between them, the preposition class written there. A preposition
 * of direction is a link, not content, even where the language's stop list keeps it as a word (en "against",
 * ru «против», de «gegen», fr «contre»): so «санкции против России» also matches «санкции в отношении России».
 * A phrase of function words only is matched on every word, without links.
 */
function phraseShape(text: string, lang: Language): { stems: string[]; links: (readonly string[] | null)[] | undefined } {
  const classes = linkClassesOf(lang);
  const tokens = tokenize(text, lang);
  const stems: string[] = [];
  const links: (readonly string[] | null)[] = [];
  let pending: readonly string[] | null = null;
  for (const t of tokens) {
    const link = classes.find((c) => c.includes(t.stem));
    if (!t.stop && !link) {
      if (stems.length > 0) links.push(pending);
      pending = null;
      stems.push(t.stem);
    } else if (stems.length > 0 && link) {
      pending = link;
    }
  }
  return stems.length > 0 ? { stems, links } : { stems: tokens.map((t) => t.stem), links: undefined };
}

/** Positions of each stem in a token list, for matching many patterns against one text. */
export type StemIndex = Map<string, number[]>;

export function indexStems(tokens: readonly Token[]): StemIndex {
  const index: StemIndex = new Map();
  tokens.forEach((t, i) => {
    const list = index.get(t.stem);
    if (list) list.push(i);
    else index.set(t.stem, [i]);
  });
  return index;
}

/**
 * Every occurrence of the patterns in the tokens: the stems in order, each within `maxGap` extra tokens of
 * the previous one. Matches of one pattern do not overlap.
 */
export function matchPatterns(tokens: readonly Token[], index: StemIndex, patterns: readonly Pattern[]): Match[] {
  const out: Match[] = [];
  for (const pattern of patterns) {
    const [first, ...rest] = pattern.stems;
    const starts = first === undefined ? undefined : index.get(first);
    if (!starts) continue;
    let after = -1;
    for (const s of starts) {
      if (s <= after) continue;
      let pos = s;
      let ok = true;
      for (const [k, next] of rest.entries()) {
        const found = findWithin(tokens, next, pos, pattern.maxGap);
        const link = pattern.links?.[k];
        if (found < 0 || (link && !hasBetween(tokens, pos, found, link))) {
          ok = false;
          break;
        }
        pos = found;
      }
      if (!ok) continue;
      const a = tokens[s];
      const b = tokens[pos];
      if (!a || !b) continue;
      out.push({ pattern, firstToken: s, lastToken: pos, start: a.start, end: b.end });
      after = pos;
    }
  }
  return out;
}

/** True when a token strictly between `from` and `to` is one of `stems`. */
function hasBetween(tokens: readonly Token[], from: number, to: number, stems: readonly string[]): boolean {
  for (let i = from + 1; i < to; i++) if (stems.includes((tokens[i] as Token).stem)) return true;
  return false;
}

/**
 * The next token with `stem` after `after`, with at most `maxGap` content words skipped on the way: function
 * words ("security and other forms of assistance") do not count toward the gap, as they vary freely between
 * writers and languages of origin.
 */
function findWithin(tokens: readonly Token[], stem: string, after: number, maxGap: number): number {
  let skipped = 0;
  for (let i = after + 1; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.stem === stem) return i;
    // A compound's parts (German) stand for the word they follow, not for words inserted after it.
    if (!t.stop && !t.part && ++skipped > maxGap) return -1;
    // A long run of function words is a different clause, not an inserted word.
    if (i - after > 3 * (maxGap + 1)) return -1;
  }
  return -1;
}
