import { detectAll } from 'tinyld';
import { isLang, primaryLanguage, SUPPORTED_LANGS, type Lang } from './text/lang.js';

/** The language an article is classified in, or why it is not classified. */
export type LanguageChoice =
  | {
      supported: true;
      lang: Lang;
      /** Whether the language came from the text or, when the text could not say, from the page. */
      source: 'detected' | 'declared';
      /** Set when the page declared another language than its text is written in. */
      note?: string;
    }
  | {
      supported: false;
      /** The language found (detected or declared), null when none could be. */
      lang: string | null;
      reason: string;
    };

export interface LanguageInput {
  /** The language the page or feed declared (`uk-UA`, `de`, …), null when it declared none. */
  declared?: string | null;
  title: string;
  text: string;
}

// Detection on a few thousand characters is as accurate as on the whole text and bounded in time.
const SAMPLE_CHARS = 3_000;
// Below this many letters no guess is made; a page's declared language is used if it has one.
const MIN_LETTERS = 40;
// A short Cyrillic text is read by its letters alone, from this many letters on.
const MIN_CYRILLIC_LETTERS = 12;
// From this many letters on a confident guess overrides the declared language (sites mislabel pages).
const CLEAR_LETTERS = 60;
// tinyld's guess is clear when its top accuracy is high (1 on clean paragraphs) or far ahead of the runner-up
// (a clean Spanish paragraph scores 0.47 with Italian next at 0.015; plain English read as Berber is 0.56
// against 0.21).
const CLEAR_ACCURACY = 0.6;
const CLEAR_LEAD_ACCURACY = 0.3;
const CLEAR_LEAD = 5;

interface Detection {
  lang: string;
  clear: boolean;
}

/**
 * Chooses the language to classify an article in: the text's own language where it can be detected (tinyld,
 * with a letter check between Ukrainian and Russian, the classic confusion), else the page's declared one.
 * `covered` lists the languages the framework has vocabulary for (only those the text layer reads count).
 */
export function chooseLanguage(input: LanguageInput, covered: readonly string[] = SUPPORTED_LANGS): LanguageChoice {
  const langs = covered.filter(isLang);
  const declared = primaryLanguage(input.declared);
  const detected = detect(`${input.title}\n${input.text}`);
  const list = langs.join(', ');
  const notCovered = (lang: string, how: string): LanguageChoice => ({
    supported: false,
    lang,
    reason: `language ${lang} (${how}) is not one the framework covers: ${list}`,
  });
  const use = (lang: Lang, source: 'detected' | 'declared'): LanguageChoice => {
    const choice: LanguageChoice = { supported: true, lang, source };
    if (source === 'detected' && declared && declared !== lang) choice.note = `page declared ${declared}, text is ${lang}`;
    return choice;
  };
  const coveredLang = (lang: string | null): Lang | null => (lang && (langs as string[]).includes(lang) ? (lang as Lang) : null);

  if (!detected) {
    const d = coveredLang(declared);
    if (d) return use(d, 'declared');
    if (declared) return notCovered(declared, 'declared');
    return { supported: false, lang: null, reason: 'text too short to detect its language' };
  }
  if (detected.lang === declared || !declared || detected.clear) {
    const d = coveredLang(detected.lang);
    if (d) return use(d, 'detected');
    return notCovered(detected.lang, declared === detected.lang ? 'declared and detected' : 'detected');
  }
  // The text is unclear and the page says something else: the page knows its own language best.
  const d = coveredLang(declared);
  if (d) return use(d, 'declared');
  const g = coveredLang(detected.lang);
  if (g) return use(g, 'detected');
  return notCovered(declared, 'declared');
}

/** The text's language and whether the guess is clear, or null when the text is too short to tell. */
function detect(text: string): Detection | null {
  const sample = text.slice(0, SAMPLE_CHARS);
  const letters = sample.match(/\p{L}/gu)?.length ?? 0;
  const cyrillic = sample.match(/\p{Script=Cyrillic}/gu)?.length ?? 0;
  // Ukrainian and Russian letters tell the two apart even in a title («Санкції проти Росії»).
  if (cyrillic * 2 > letters && letters >= MIN_CYRILLIC_LETTERS) {
    const byLetters = cyrillicLanguage(sample.toLowerCase());
    if (byLetters) return { lang: byLetters, clear: true };
  }
  if (letters < MIN_LETTERS) return null;
  const byWords = functionWordLanguage(sample.toLowerCase());
  if (byWords) return { lang: byWords, clear: true };
  const [top, second] = detectAll(sample);
  if (!top) return null;
  const ahead = top.accuracy >= CLEAR_LEAD_ACCURACY && top.accuracy >= CLEAR_LEAD * (second?.accuracy ?? 0);
  return { lang: top.lang, clear: letters >= CLEAR_LETTERS && (top.accuracy >= CLEAR_ACCURACY || ahead) };
}

// tinyld alone misreads plain English news as Berber (a paragraph of Treasury sanctions text: "ber" 0.56,
// "en" 0.21). The commonest function words of a Latin-script language are a steadier sign: a share this high
// of one language's and not another's does not happen by chance. Each list is the language's most frequent
// words that the other Latin-script languages (Spanish, Italian, Polish, Dutch …) do not also use commonly.
const FUNCTION_WORDS: Readonly<Partial<Record<Lang, ReadonlySet<string>>>> = {
  en: new Set('the and of to is that with for was are this have has from by which be it its were their said will'.split(' ')),
  de: new Set('der die und das ist nicht mit den dem sich auf für eine ein von wird werden auch zu im des sind wurde'.split(' ')),
  fr: new Set('le les et est des une dans pour qui du pas sur au aux avec ce il sont été cette leur'.split(' ')),
};
const MIN_SHARE = 0.12;
const MIN_WORDS = 8;

function functionWordLanguage(lower: string): Lang | null {
  const words = lower.match(/\p{L}+/gu) ?? [];
  if (words.length < MIN_WORDS) return null;
  const shares = Object.entries(FUNCTION_WORDS).map(([lang, set]) => ({ lang: lang as Lang, share: words.filter((w) => set.has(w)).length / words.length }));
  shares.sort((a, b) => b.share - a.share);
  const [best, next] = shares;
  if (!best || best.share < MIN_SHARE) return null;
  return !next || best.share >= MAJORITY * next.share ? best.lang : null;
}

// Letters only Ukrainian (і ї є ґ) or only Russian (ы э ё) writes among the two; Belarusian writes ў, and
// Serbian/Macedonian their own letters, so those are left to tinyld. One letter of the other language is a
// quotation or a name; a clear majority decides.
const UK_LETTERS = /[іїєґ]/gu;
const RU_LETTERS = /[ыэё]/gu;
const OTHER_CYRILLIC = /[ўјљњђћџѓќѕ]/gu;
const MIN_MARKS = 2;
const MAJORITY = 3;

function cyrillicLanguage(lower: string): 'uk' | 'ru' | null {
  if ((lower.match(OTHER_CYRILLIC)?.length ?? 0) >= MIN_MARKS) return null;
  const uk = lower.match(UK_LETTERS)?.length ?? 0;
  const ru = lower.match(RU_LETTERS)?.length ?? 0;
  if (uk + ru < MIN_MARKS) return null;
  if (uk >= MAJORITY * ru) return 'uk';
  if (ru >= MAJORITY * uk) return 'ru';
  return null;
}
