import { detect } from 'tinyld';

// Detection on a few thousand characters is as accurate as on the whole text and bounded in time.
const SAMPLE_CHARS = 3_000;
// Fewer words than this give unreliable guesses.
const MIN_WORDS = 20;

/** ISO 639-1 language of a text, or null when it is too short or undetectable. */
export function detectLanguage(text: string): string | null {
  const sample = text.slice(0, SAMPLE_CHARS);
  if ((sample.match(/\S+/g)?.length ?? 0) < MIN_WORDS && !/[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]{40}/.test(sample)) return null;
  const lang = detect(sample);
  return lang || null;
}
