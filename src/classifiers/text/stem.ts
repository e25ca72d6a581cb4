import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';

const cache = new Map<string, string>();
// Vocabulary of news text is small; a bounded cache halves tokenisation time without growing forever.
const CACHE_LIMIT = 200_000;

/** Porter stem of a lower-cased word (natural's stemmer, memoised). */
export function stem(word: string): string {
  let s = cache.get(word);
  if (s === undefined) {
    s = PorterStemmer.stem(word);
    if (cache.size < CACHE_LIMIT) cache.set(word, s);
  }
  return s;
}
