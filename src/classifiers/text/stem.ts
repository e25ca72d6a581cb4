import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import PorterStemmerDe from 'natural/lib/natural/stemmers/porter_stemmer_de.js';
import PorterStemmerFr from 'natural/lib/natural/stemmers/porter_stemmer_fr.js';
import PorterStemmerRu from 'natural/lib/natural/stemmers/porter_stemmer_ru.js';
import PorterStemmerUk from 'natural/lib/natural/stemmers/porter_stemmer_uk.js';
import type { Lang } from './lang.js';

/**
 * natural's Ukrainian stemmer leaves a final і/ї/й/ь on some case forms and not on others («санкції» →
 * «санкці» but «санкцій» → «санкц», «росії» → «росі» but «росія» → «рос»); dropping it makes the case forms
 * of one noun meet. Applied to text and framework terms alike, so it only ever merges forms.
 */
function stemUk(word: string): string {
  const s = PorterStemmerUk.stem(word);
  return s.length > 3 && /[іїйь]$/u.test(s) ? s.slice(0, -1) : s;
}

const STEMMERS: Readonly<Record<Lang, (word: string) => string>> = {
  en: (w) => PorterStemmer.stem(w),
  uk: stemUk,
  // natural folds ё to е itself.
  ru: (w) => PorterStemmerRu.stem(w),
  de: (w) => PorterStemmerDe.stem(w),
  fr: (w) => PorterStemmerFr.stem(w),
};

const caches: Record<Lang, Map<string, string>> = { en: new Map(), uk: new Map(), ru: new Map(), de: new Map(), fr: new Map() };
// Vocabulary of news text is small; a bounded cache per language halves tokenisation time without growing forever.
const CACHE_LIMIT = 200_000;

/** Stem of a lower-cased word in `lang` (natural's Porter/Snowball stemmers, memoised per language). */
export function stem(word: string, lang: Lang = 'en'): string {
  const cache = caches[lang];
  let s = cache.get(word);
  if (s === undefined) {
    s = STEMMERS[lang](word);
    if (cache.size < CACHE_LIMIT) cache.set(word, s);
  }
  return s;
}
