import { tokenize } from './score.js';

/** Inputs to the confidence estimate of one extraction. */
export interface ConfidenceInput {
  wordCount: number;
  /** Share of the text's characters inside links (0..1). */
  linkDensity: number;
  text: string;
  feedSummary?: string | null;
}

// Word counts where length stops adding confidence; most news articles run 300+ words and a 150-word
// piece is still a real (short) article.
const FULL_LENGTH_WORDS = 150;
// Summaries shorter than this say too little to compare.
const MIN_SUMMARY_TOKENS = 6;

/**
 * Confidence in [0,1] that the text is the article: length, low link density and, when the feed gave a
 * summary, how much of the summary's vocabulary the text contains (feeds summarise the article they
 * link to, so a text that shares none of it is likely the wrong block or a wall).
 */
export function estimateConfidence(input: ConfidenceInput): number {
  const length = Math.min(1, input.wordCount / FULL_LENGTH_WORDS);
  const links = 1 - Math.min(1, input.linkDensity * 2);
  const agreement = summaryAgreement(input.text, input.feedSummary);
  const score = agreement === null ? 0.65 * length + 0.35 * links : 0.45 * length + 0.2 * links + 0.35 * agreement;
  return Math.round(Math.max(0, Math.min(1, score)) * 1000) / 1000;
}

/** Share of the summary's distinct lower-cased words found in the text; null without a usable summary. */
export function summaryAgreement(text: string, summary: string | null | undefined): number | null {
  if (!summary) return null;
  const words = new Set(tokenize(summary.toLowerCase()).filter((w) => w.length > 2));
  if (words.size < MIN_SUMMARY_TOKENS) return null;
  const have = new Set(tokenize(text.toLowerCase()));
  let hits = 0;
  for (const w of words) if (have.has(w)) hits++;
  return hits / words.size;
}
