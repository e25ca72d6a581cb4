import { wordsIn, type Framework, type Language } from '../config/framework-schema.js';
import { compileAnchoredCues, type AnchoredRule } from './anchored-cues.js';
import { WRITES_COMPOUNDS } from './grammar.js';
import { compilePatterns, type Pattern } from './patterns.js';
import { CompoundSplitter } from './text/compounds.js';
import { compoundVocabulary } from './text/tokenize.js';

export { compilePatterns, indexStems, matchPatterns, type Match, type Pattern, type StemIndex } from './patterns.js';

/** The framework's vocabulary in one language, compiled once per framework version. */
export interface Lexicon {
  lang: Language;
  labels: { id: string; patterns: Pattern[] }[];
  anchors: Pattern[];
  counterAnchors: Pattern[];
  /** Per label id: the anchors that place a text in context for that label only (`scope.labelAnchors`). */
  labelAnchors: Map<string, Pattern[]>;
  /** Per label id: the named actors its terms must share a sentence with (`extensions.anchoredCues`). */
  anchored: Map<string, AnchoredRule>;
  /** For a language that writes compounds: splits them into the framework's own words (pass to `analyse`). */
  compounds?: CompoundSplitter;
}

/** Compiles every label's terms and phrases, the scope's anchors and the anchored cues in one language. */
export function compileLexicon(framework: Framework, lang: Language = 'en'): Lexicon {
  const lexicon: Lexicon = {
    lang,
    labels: framework.labels.map((l) => ({ id: l.id, patterns: [...compilePatterns(wordsIn(l.terms, lang), 'term', lang), ...compilePatterns(wordsIn(l.phrases, lang), 'phrase', lang)] })),
    anchors: compilePatterns(wordsIn(framework.scope.anchors, lang), 'term', lang),
    counterAnchors: compilePatterns(wordsIn(framework.scope.counterAnchors, lang), 'term', lang),
    labelAnchors: new Map(Object.entries(framework.scope.labelAnchors).map(([id, vocabulary]) => [id, compilePatterns(wordsIn(vocabulary, lang), 'term', lang)])),
    anchored: compileAnchoredCues(framework, lang),
  };
  if (WRITES_COMPOUNDS[lang]) lexicon.compounds = new CompoundSplitter(compoundVocabulary(frameworkWords(framework, lang), lang), lang);
  return lexicon;
}

/** Every word list of the framework in one language: what a compound of that language may be built from. */
function frameworkWords(framework: Framework, lang: Language): string[] {
  const { scope, labels, extensions } = framework;
  const direction = extensions.sanctionsDirection;
  return [
    ...wordsIn(scope.anchors, lang),
    ...wordsIn(scope.counterAnchors, lang),
    ...Object.values(scope.labelAnchors).flatMap((v) => wordsIn(v, lang)),
    ...labels.flatMap((l) => [...wordsIn(l.terms, lang), ...wordsIn(l.phrases, lang)]),
    ...(direction ? Object.values(direction.cues).flatMap((v) => wordsIn(v, lang)) : []),
    ...Object.values(extensions.anchoredCues ?? {}).flatMap((r) => [...wordsIn(r.entities, lang), ...wordsIn(r.cues, lang)]),
  ];
}

/** One lexicon per language the framework covers. */
export interface Lexicons {
  /** The framework's `languages`, in its order (the first is the framework's own). */
  languages: readonly Language[];
  /**
   * The lexicon of an article's language (a tag such as `de` or `de-AT`), or null when the framework does not
   * cover it: its vocabulary would not be recognised, and another language's would mislead.
   */
  lexiconFor(lang: string | null | undefined): Lexicon | null;
}

export function compileLexicons(framework: Framework): Lexicons {
  const byLang = new Map(framework.languages.map((lang) => [lang, compileLexicon(framework, lang)]));
  return {
    languages: framework.languages,
    lexiconFor: (lang) => byLang.get((lang ?? '').toLowerCase().split(/[-_]/)[0] as Language) ?? null,
  };
}
