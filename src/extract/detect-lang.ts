import { detect } from 'tinyld';

// Detection on a few thousand characters is as accurate as on the whole text and bounded in time.
const SAMPLE_CHARS = 3_000;
// Fewer letters than this give unreliable guesses (letters, not words: CJK text has no spaces).
const MIN_LETTERS = 80;

/** ISO 639-1 language of a text, or null when it is too short or undetectable. */
export function detectLanguage(text: string): string | null {
  const sample = text.slice(0, SAMPLE_CHARS);
  if ((sample.match(/\p{L}/gu)?.length ?? 0) < MIN_LETTERS) return null;
  const lang = detect(sample);
  return lang || null;
}
