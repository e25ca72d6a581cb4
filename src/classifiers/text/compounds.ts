import type { Lang } from './lang.js';

/** Where one known word sits inside a compound, relative to the compound's first character. */
export interface CompoundPart {
  start: number;
  end: number;
}

// Shorter vocabulary words find false parts everywhere ("eu" in "Neuerung", "amt" in "Samt").
const MIN_PART = 4;
// A compound is at least two parts; shorter words are not split.
const MIN_COMPOUND = 2 * MIN_PART;
// A head after an unknown modifier must be longer: short words end many simple words («Russ·land»).
const MIN_LONE_HEAD = 5;
// German joins parts with a linking element ("Sanktion·s·paket", "Waffe·n·ruhe"); the head carries the
// inflection ("…lieferung·en"). Both lists are the Fugen and endings of German grammar, not vocabulary.
const LINKERS = ['', 's', 'es', 'n', 'en', 'e', 'er', 'ens'] as const;
const ENDINGS = new Set(['', 'e', 'n', 'en', 's', 'es', 'er', 'ern', 'ns', 'ens']);

/**
 * Finds known words inside compounds («Waffenlieferungen» → «Waffen» + «lieferungen»), so a framework term
 * can match a part. Driven by a vocabulary (normally the content words of the framework's own terms in that
 * language), never by a list of its own: a compound splits only where the vocabulary names a part.
 */
export class CompoundSplitter {
  private readonly words: ReadonlySet<string>;
  private readonly longest: number;

  /** `words`: lower-case words that may occur as parts (shorter than four letters are ignored). */
  constructor(
    words: Iterable<string>,
    readonly lang: Lang = 'de',
  ) {
    const set = new Set<string>();
    for (const w of words) if (w.length >= MIN_PART) set.add(w.toLowerCase());
    this.words = set;
    this.longest = Math.max(0, ...[...set].map((w) => w.length));
  }

  get size(): number {
    return this.words.size;
  }

  /**
   * Parts of a lower-case word, with offsets into it; empty when the word is not a compound of known parts.
   * Modifiers are read left to right from the start (each a known word, then a linking element); the head
   * may also follow an unknown modifier («Rüstungs·exporte» when only «Export» is known), because the head
   * says what the compound is.
   */
  split(word: string): CompoundPart[] {
    if (word.length < MIN_COMPOUND || this.words.size === 0) return [];
    const parts: CompoundPart[] = [];
    let at = 0;
    for (;;) {
      const len = this.knownAt(word, at);
      if (len === 0) break;
      const end = at + len;
      const rest = word.slice(end);
      if (ENDINGS.has(rest)) {
        parts.push({ start: at, end: word.length });
        at = word.length;
        break;
      }
      parts.push({ start: at, end });
      const next = LINKERS.find((l) => rest.startsWith(l) && this.knownAt(word, end + l.length) > 0);
      if (next === undefined) {
        at = end;
        break;
      }
      at = end + next.length;
    }
    if (at < word.length) {
      const head = this.headAfter(word, Math.max(at, MIN_PART - 1));
      if (head) parts.push(head);
    }
    // A word that is itself one known word is not a compound.
    if (parts.length === 1 && parts[0]?.start === 0 && parts[0].end === word.length) return [];
    return parts;
  }

  /** Length of the longest known word starting at `at`, or 0. */
  private knownAt(word: string, at: number): number {
    for (let len = Math.min(this.longest, word.length - at); len >= MIN_PART; len--) {
      if (this.words.has(word.slice(at, at + len))) return len;
    }
    return 0;
  }

  /** The first (so longest) known word from `from` on that ends the compound up to an inflection ending. */
  private headAfter(word: string, from: number): CompoundPart | null {
    for (let at = from; at <= word.length - MIN_LONE_HEAD; at++) {
      for (let len = Math.min(this.longest, word.length - at); len >= MIN_LONE_HEAD; len--) {
        if (this.words.has(word.slice(at, at + len)) && ENDINGS.has(word.slice(at + len))) return { start: at, end: word.length };
      }
    }
    return null;
  }
}
