/** The languages whose text the classifier can read (issue 16). */
export const SUPPORTED_LANGS = ['en', 'uk', 'ru', 'de', 'fr'] as const;

/** ISO 639-1 code of a language the text layer can tokenise, stem and split. */
export type Lang = (typeof SUPPORTED_LANGS)[number];

const SUPPORTED: ReadonlySet<string> = new Set(SUPPORTED_LANGS);

export function isLang(code: string | null | undefined): code is Lang {
  return code !== null && code !== undefined && SUPPORTED.has(code);
}

// Codes pages really declare that are not ISO 639-1 for the language meant: "ua" is Ukraine's country code,
// often written as the language of Ukrainian pages.
const ALIASES: Readonly<Record<string, string>> = { ua: 'uk', ukr: 'uk', rus: 'ru', ger: 'de', deu: 'de', fre: 'fr', fra: 'fr', eng: 'en' };

/**
 * The primary language of a declared tag ("uk-UA" → "uk", "de_AT" → "de", "EN" → "en"), or null when there
 * is none. The result need not be supported.
 */
export function primaryLanguage(tag: string | null | undefined): string | null {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  if (!primary || !/^[a-z]{2,3}$/.test(primary)) return null;
  return ALIASES[primary] ?? primary;
}
