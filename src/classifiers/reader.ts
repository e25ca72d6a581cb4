import type { Framework } from '../config/framework-schema.js';
import { analyse } from './document.js';
import { readSignals, type ArticleSignals } from './feature-space.js';
import { compileLexicons, type Lexicon, type Lexicons } from './lexicon.js';
import type { Lang } from './text/lang.js';

/**
 * Reads articles in every language the framework covers, each with that language's vocabulary: the
 * framework's terms, phrases and anchors in it and, for a language that writes compounds, a splitter fed
 * with their words (German writes «Sanktionspaket» where English writes "sanctions package"). Compiled once
 * per framework; training and the classifier read through the same reader, so the model sees at
 * classification what it saw in training.
 */
export class ArticleReader {
  private readonly lexicons: Lexicons;

  constructor(framework: Framework) {
    this.lexicons = compileLexicons(framework);
  }

  /** The languages this reader covers (the framework's `languages`). */
  get languages(): string[] {
    return [...this.lexicons.languages];
  }

  /** Tokenises, splits and matches an article in `lang`. */
  read(input: { title: string; text: string }, lang: Lang): ArticleSignals {
    const lexicon = this.lexicon(lang);
    return readSignals(analyse({ title: input.title, text: input.text, lang }, lexicon.compounds ? { compounds: lexicon.compounds } : {}), lexicon);
  }

  private lexicon(lang: Lang): Lexicon {
    const lexicon = this.lexicons.lexiconFor(lang);
    // The classifier and training only read languages the framework lists (chooseLanguage is given them).
    if (!lexicon) throw new Error(`the framework has no vocabulary in "${lang}" (languages: ${this.lexicons.languages.join(', ')})`);
    return lexicon;
  }
}
