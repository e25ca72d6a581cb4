import type { CompoundSplitter } from './compounds.js';
import type { Lang } from './lang.js';
import { stem } from './stem.js';
import { isStopword } from './stopwords.js';

/** One word of a text with where it sits. Tokens come in order of `start`; compound parts follow their compound. */
export interface Token {
  /** Stem of the lower-cased word in the text's language. */
  stem: string;
  start: number;
  end: number;
  stop: boolean;
  /** A known word inside a compound (German), emitted after the whole compound and spanning part of it. */
  part?: true;
}

// Letters (with any combining marks, so a decomposed «é» stays one word), digits, and the invisible joiners
// pages leave inside words (soft hyphen, zero-width joiners). Hyphens and other punctuation split words, so
// "cease-fire" and «EU-Sanktionen» stem like their parts.
const CHAR = String.raw`\p{L}\p{M}\p{N}\u00AD\u200B-\u200D\u2060`;
const WORD = new RegExp(`[${CHAR}]+`, 'gu');
// An apostrophe between letters continues the word in Ukrainian («м'ясо», «об’єднання», «зʼїзд») and is
// elision in French («l'Ukraine»); English and German keep splitting there ("Russia's" → "russia" + "s").
const APOSTROPHES = String.raw`'ʼ’`;
const WORD_WITH_APOSTROPHES = new RegExp(`[${CHAR}]+(?:[${APOSTROPHES}][${CHAR}]+)*`, 'gu');
const APOSTROPHE = new RegExp(`[${APOSTROPHES}]`, 'u');
const ANY_APOSTROPHE = new RegExp(`[${APOSTROPHES}]`, 'gu');
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060]/gu;

// French elided function words and the full word each stands for, so «n'a» reads the negation «ne» and
// «l'Ukraine» the article «le» followed by the content word.
const ELISION: Readonly<Record<string, string>> = {
  l: 'le', d: 'de', j: 'je', m: 'me', t: 'te', s: 'se', c: 'ce', n: 'ne', qu: 'que',
  jusqu: 'jusque', lorsqu: 'lorsque', puisqu: 'puisque', quoiqu: 'quoique',
};

/**
 * Words of `text` with character offsets into the ORIGINAL string, lower-cased and stemmed in `lang`.
 * With a compound splitter for `lang`, a compound is followed by tokens for its known parts.
 */
export function tokenize(text: string, lang: Lang = 'en', compounds?: CompoundSplitter): Token[] {
  const out: Token[] = [];
  const splitter = compounds?.lang === lang && compounds.size > 0 ? compounds : undefined;
  const pattern = lang === 'uk' || lang === 'fr' ? WORD_WITH_APOSTROPHES : WORD;
  for (const m of text.matchAll(pattern)) {
    const start = m.index;
    if (lang === 'fr' && APOSTROPHE.test(m[0])) {
      frenchWord(m[0], start, out);
      continue;
    }
    const lower = m[0].toLowerCase();
    const key = wordKey(lower, lang);
    out.push({ stem: stem(key, lang), start, end: start + m[0].length, stop: isStopword(key, lang) });
    // Offsets of parts are read off the lower-cased word, so only split where lower-casing kept the length.
    if (splitter && lower.length === m[0].length) {
      for (const p of splitter.split(lower)) {
        const partKey = wordKey(lower.slice(p.start, p.end), lang);
        out.push({ stem: stem(partKey, lang), start: start + p.start, end: start + p.end, stop: isStopword(partKey, lang), part: true });
      }
    }
  }
  return out;
}

/**
 * «l'Ukraine» → «le» (stop) + «ukraine»; «jusqu'à» → «jusque» + «à»; «aujourd'hui» (no elided prefix) stays one
 * word.
 */
function frenchWord(word: string, start: number, out: Token[]): void {
  const cut = word.search(APOSTROPHE);
  const full = cut > 0 ? ELISION[word.slice(0, cut).toLowerCase()] : undefined;
  if (full === undefined) {
    const key = wordKey(word.toLowerCase(), 'fr');
    out.push({ stem: stem(key, 'fr'), start, end: start + word.length, stop: isStopword(key, 'fr') });
    return;
  }
  out.push({ stem: stem(full, 'fr'), start, end: start + cut, stop: isStopword(full, 'fr') });
  frenchWord(word.slice(cut + 1), start + cut + 1, out);
}

/** The form a lower-case word is stemmed and looked up as: composed (NFC), invisible joiners dropped, one apostrophe. */
function wordKey(lower: string, lang: Lang): string {
  let key = lower.replace(INVISIBLE, '').normalize('NFC');
  if (lang === 'uk') key = key.replace(ANY_APOSTROPHE, "'");
  return key;
}

/**
 * Stems of a framework term or phrase in `lang`, stop words dropped (they vary freely between writers).
 * Compound parts are not emitted: a term is matched as written.
 */
export function patternStems(phrase: string, lang: Lang = 'en'): string[] {
  const toks = tokenize(phrase, lang);
  const content = toks.filter((t) => !t.stop).map((t) => t.stem);
  return content.length > 0 ? content : toks.map((t) => t.stem);
}

/**
 * The vocabulary a compound splitter for `lang` needs from framework terms: their content words and, where
 * long enough, the words' stems (a modifier is often the bare stem: «Sanktion·s·paket» for «Sanktionen»).
 */
export function compoundVocabulary(phrases: Iterable<string>, lang: Lang): string[] {
  const words = new Set<string>();
  for (const phrase of phrases) {
    for (const m of phrase.matchAll(WORD)) {
      const key = wordKey(m[0].toLowerCase(), lang);
      if (isStopword(key, lang)) continue;
      words.add(key);
      words.add(stem(key, lang));
    }
  }
  return [...words];
}
