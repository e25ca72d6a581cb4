/** Words too common in headlines to tell two stories apart. */
const STOP = new Set(['a', 'an', 'the', 'and', 'or', 'of', 'to', 'in', 'on', 'for', 'at', 'by', 'with', 'from', 'as', 'is', 'are', 'was', 'be']);

/** Shorter keys collide between different stories ("Live updates", "Explainer"), so they are not indexed. */
const MIN_KEY_WORDS = 4;

/**
 * A normalised headline key for spotting syndicated copies (AP or Reuters stories republished by many
 * outlets under different URLs): case, accents, punctuation, stop words and a trailing " - Outlet" or
 * " | Outlet" suffix removed. Null when the title is too short to be distinctive.
 */
export function titleKey(title: string): string | null {
  // Only "|" and a spaced hyphen mark an outlet suffix; dashes inside headlines are common ("Ukraine — live").
  const withoutSuffix = title.replace(/\s+[|-]\s+\S+(?:\s+\S+){0,3}$/u, '');
  const words = withoutSuffix
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter((w) => w.length > 0 && !STOP.has(w));
  return words.length >= MIN_KEY_WORDS ? words.join(' ') : null;
}
