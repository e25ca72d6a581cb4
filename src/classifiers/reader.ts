import type { Framework } from '../config/framework-schema.js';
import { wordsIn } from '../config/framework-schema.js';
import { analyse } from './document.js';
import { readSignals, type ArticleSignals } from './feature-space.js';
import { compileLexicon, type Lexicon } from './lexicon.js';
import { CompoundSplitter } from './text/compounds.js';
import type { Lang } from './text/lang.js';
import { compoundVocabulary } from './text/tokenize.js';

/** What reading an article in one language needs: that language's lexicon and compound splitter. */
interface LanguageReader {
  lexicon: Lexicon;
  compounds: CompoundSplitter;
}

/**
 * Reads articles in every language the framework covers, each with its own vocabulary: the framework's
 * terms, phrases and anchors in that language, and a compound splitter fed with their words (German writes
 * «Sanktionspaket» where English writes "sanctions package"). Compiled once per framework; training and the
 * classifier read through the same reader, so the model sees at classification what it saw in training.
 */
export class ArticleReader {
  private readonly byLang = new Map<string, LanguageReader>();

  constructor(framework: Framework) {
    for (const lang of framework.languages) {
      const words = [
        ...framework.labels.flatMap((l) => [...wordsIn(l.terms, lang), ...wordsIn(l.phrases, lang)]),
        ...wordsIn(framework.scope.anchors, lang),
        ...wordsIn(framework.scope.counterAnchors, lang),
      ];
      this.byLang.set(lang, { lexicon: compileLexicon(framework, lang), compounds: new CompoundSplitter(compoundVocabulary(words, lang), lang) });
    }
  }

  /** The languages this reader covers (the framework's `languages`). */
  get languages(): string[] {
    return [...this.byLang.keys()];
  }

  /** The lexicon of `lang`, or of the framework's first language when it does not cover `lang`. */
  lexicon(lang: Lang): Lexicon {
    return this.reader(lang).lexicon;
  }

  /** Tokenises, splits and matches an article in `lang`. */
  read(input: { title: string; text: string }, lang: Lang): ArticleSignals {
    const r = this.reader(lang);
    return readSignals(analyse({ title: input.title, text: input.text, lang }, { compounds: r.compounds }), r.lexicon);
  }

  private reader(lang: Lang): LanguageReader {
    const r = this.byLang.get(lang) ?? this.byLang.values().next().value;
    if (!r) throw new Error('the framework lists no languages');
    return r;
  }
}
