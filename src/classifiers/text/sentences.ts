import type { Lang } from './lang.js';

/** A sentence (or list item / line) of a text, `text.slice(start, end)`. */
export interface Span {
  start: number;
  end: number;
}

interface SentenceRules {
  /** A sentence end (group 1: the punctuation and closing quotes) or a line break. */
  boundary: RegExp;
  /** Matches the end of the text before a period that does not end a sentence. */
  abbreviation: RegExp;
  /**
   * Abbreviations that end a sentence before a capital but not before a number or a lower-case word: a unit
   * after a number («5 млн.», «2022 р.», «52 av. J.-C.») and "and so on" («т.д.», «usw.», «etc.»).
   */
  endsBeforeCapital?: RegExp;
}

// English, unchanged since the classifier was English-only: . ! ? followed by space and a capital, digit or
// quote; or a line break. "U.S. President" and "Gen. Smith" are kept together by the short-word check.
const EN: SentenceRules = {
  boundary: /([.!?]["'”’)]?)\s+(?=["'“‘(]?[\p{Lu}\p{N}])|\n+/gu,
  abbreviation: /(?:\b[\p{L}]|\b(?:Mr|Ms|Mrs|Dr|Gen|Sen|Rep|Lt|Col|Gov|St|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Inc|Corp|Co|vs|approx|U\.S|U\.K|E\.O))\.$/u,
};

// Other languages also end on an ellipsis, close with » “ ” (French sets a space before »), and open with
// « „ “ or a dialogue dash.
const BOUNDARY = /([.!?…]+(?:[\u00A0\u202F ]?["'”’“»)])*)\s+(?=["'“„‘«(—–-]?\s?[\p{Lu}\p{N}])|\n+/gu;

/**
 * The period after a single letter (initials, «р.», «г.», «M.», «z.B.»'s «B.») or after one of a language's
 * abbreviations does not end a sentence. `\b` is ASCII-only in JavaScript, so word starts are a lookbehind.
 */
function abbreviations(words: string): RegExp {
  return new RegExp(String.raw`(?<![\p{L}\p{N}])(?:\p{L}|${words})\.$`, 'iu');
}

const RULES: Readonly<Record<Lang, SentenceRules>> = {
  en: EN,
  // ст. (article), млн/млрд/тис. (figures), обл., вул., ім., див., напр., т.д./т.п./т.зв. («д.», «п.» are single
  // letters), рр. (years), грн., доп. …
  uk: {
    boundary: BOUNDARY,
    abbreviation: abbreviations(String.raw`Дж|ст|стор|млн|млрд|трлн|тис|грн|дол|обл|вул|просп|ім|див|напр|проф|акад|доц|св|пп|рр|зв|ін|кв|км|заст|ген|мін|тел`),
    endsBeforeCapital: /(?:\p{N}\s?(?:(?:млн|млрд|трлн|тис)\.?\s?)?(?:млн|млрд|трлн|тис|грн|дол|р|рр|км)|т\.\s?[дп]|etc)\.$/iu,
  },
  ru: {
    boundary: BOUNDARY,
    abbreviation: abbreviations(String.raw`Дж|ст|стр|млн|млрд|трлн|тыс|руб|долл|обл|ул|пр|им|см|напр|проф|акад|доц|св|гг|вв|др|кв|км|зам|ген|мин|тел|т\.е|т\.к|т\.н|т\.д|т\.п`),
    endsBeforeCapital: /(?:\p{N}\s?(?:(?:млн|млрд|трлн|тыс)\.?\s?)?(?:млн|млрд|трлн|тыс|руб|долл|г|гг|км)|т\.\s?[дп]|etc)\.$/iu,
  },
  // Ordinals are a number with a period («am 3. März», «der 2. Weltkrieg»), so a short number before a period
  // does not end a sentence.
  de: {
    boundary: BOUNDARY,
    abbreviation: new RegExp(
      String.raw`(?:(?<![\p{L}\p{N}])(?:\p{L}|Nr|Dr|Prof|bzw|vgl|ca|Abs|Art|Ziff|Str|St|Mio|Mrd|Tsd|Jh|Jhd|ggf|inkl|evtl|sog|insb|zzgl|Hrsg|Bd|Kap|Jan|Feb|Febr|Mär|Apr|Jun|Jul|Aug|Sep|Sept|Okt|Nov|Dez|d\.h|u\.a|z\.B|z\.T|o\.ä|u\.U|i\.d\.R)|(?<![\p{N}.])\p{N}{1,2})\.$`,
      'iu',
    ),
    // Not units: German capitalises every noun («5 Mio. Euro»), so a capital after a unit says nothing.
    endsBeforeCapital: /(?:usw|etc)\.$/iu,
  },
  // M. (Monsieur) is a single letter; MM., Mgr, av./apr. J.-C., p.ex., cf., env., art., janv. …
  fr: {
    boundary: BOUNDARY,
    abbreviation: abbreviations(String.raw`MM|Mgr|Mme|Mlle|Dr|Pr|St|Ste|av|apr|env|cf|art|al|chap|vol|éd|ex|p\.ex|n°|no|janv|févr|avr|juil|sept|oct|nov|déc|J\.-C|C`),
    endsBeforeCapital: /(?:(?:\p{N}|av|apr)\.?\s?J\.-C|etc)\.$/iu,
  },
};

const LIST_MARKER = /^\s*(?:\p{N}{1,3}|[IVX]{1,4})\.$/u;

// Long enough for the longest abbreviation with its period and number («300 тис. грн.», «av. J.-C.»).
const LOOKBACK = 16;

/** Splits text into trimmed sentence spans with offsets into the original string. */
export function splitSentences(text: string, lang: Lang = 'en'): Span[] {
  const rules = RULES[lang];
  const lookback = lang === 'en' ? 8 : LOOKBACK;
  const spans: Span[] = [];
  let from = 0;
  for (const m of text.matchAll(rules.boundary)) {
    const cut = m.index + (m[1]?.length ?? 0);
    // Only a bare period can follow an abbreviation: a closing quote or «?» after it ends the sentence anyway.
    // A list item's number («1. Увести в дію…», «IV. Schlussfolgerungen») starts its sentence, not one of its own.
    if (lang !== 'en' && m[1] === '.' && LIST_MARKER.test(text.slice(from, cut))) continue;
    if (lang !== 'en' && m[1] === '.') {
      const before = text.slice(Math.max(from, cut - lookback), cut);
      // A capitalised word, not an acronym: «5 млн. EUR» and «у 2022 р. США …» read on.
      const beforeCapital = /^\p{Lu}\p{Ll}/u.test(text.slice(m.index + m[0].length, m.index + m[0].length + 6).replace(/^["'“„‘«(—–-]?\s?/u, ''));
      if (rules.abbreviation.test(before) && !(beforeCapital && rules.endsBeforeCapital?.test(before))) continue;
    }
    if (lang === 'en' && m[1] && rules.abbreviation.test(text.slice(Math.max(from, cut - lookback), cut))) continue;
    push(spans, text, from, cut);
    from = m.index + m[0].length;
  }
  push(spans, text, from, text.length);
  return spans;
}

function push(spans: Span[], text: string, start: number, end: number): void {
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  if (end > start) spans.push({ start, end });
}
