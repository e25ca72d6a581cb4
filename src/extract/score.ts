/**
 * The article-extraction benchmark's scorer (scrapinghub/article-extraction-benchmark), re-stated from
 * its published rules: word tokens, multisets of word 4-grams, per-page precision/recall with the
 * benchmark's edge cases, corpus means, F1 of the means, and exact-token-sequence accuracy.
 */

const TOKEN = /[\p{L}\p{N}_]+/gu;
const GRAM = 4;

/** Word tokens as the benchmark counts them (case kept). */
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** The multiset of word 4-grams; 1–3 tokens give one shorter gram, no tokens give none. */
export function ngramCounts(tokens: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  if (tokens.length === 0) return counts;
  // '\u0000' cannot occur inside a token, so joined grams never collide.
  const last = Math.max(0, tokens.length - GRAM);
  for (let i = 0; i <= last; i++) {
    const gram = tokens.slice(i, i + GRAM).join('\u0000');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

/** True/false positive and false negative gram counts of one page. */
export interface PageCounts {
  tp: number;
  fp: number;
  fn: number;
}

/** Multiset overlap of predicted and true grams. */
export function pageCounts(predicted: string, truth: string): PageCounts {
  const pred = ngramCounts(tokenize(predicted));
  const gold = ngramCounts(tokenize(truth));
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [gram, n] of pred) {
    const g = gold.get(gram) ?? 0;
    tp += Math.min(n, g);
    fp += Math.max(0, n - g);
  }
  for (const [gram, g] of gold) {
    fn += Math.max(0, g - (pred.get(gram) ?? 0));
  }
  return { tp, fp, fn };
}

/** Per-page precision: 1 when nothing is wrong at all, 0 when nothing was predicted. */
export function pagePrecision({ tp, fp, fn }: PageCounts): number {
  if (fp === 0 && fn === 0) return 1;
  if (tp === 0 && fp === 0) return 0;
  return tp / (tp + fp);
}

/** Per-page recall: 1 when nothing is wrong at all, 0 when nothing true was found. */
export function pageRecall({ tp, fp, fn }: PageCounts): number {
  if (fp === 0 && fn === 0) return 1;
  if (tp === 0 && fn === 0) return 0;
  return tp / (tp + fn);
}

/** Whether the prediction's token sequence equals the truth's exactly. */
export function exactMatch(predicted: string, truth: string): boolean {
  const a = tokenize(predicted);
  const b = tokenize(truth);
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

/** One page's scores. */
export interface PageScore extends PageCounts {
  precision: number;
  recall: number;
  exact: boolean;
}

export function scorePage(predicted: string, truth: string): PageScore {
  const counts = pageCounts(predicted, truth);
  return {
    ...counts,
    precision: pagePrecision(counts),
    recall: pageRecall(counts),
    exact: exactMatch(predicted, truth),
  };
}

/** Corpus figures. */
export interface CorpusScore {
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
  pages: number;
}

/**
 * Corpus means: precision over pages that predicted anything (tp+fp > 0; an empty prediction costs
 * recall only), recall and accuracy over all pages, F1 of the two means.
 */
export function scoreCorpus(pages: readonly PageScore[]): CorpusScore {
  const predicted = pages.filter((p) => p.tp + p.fp > 0);
  const mean = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
  const precision = mean(predicted.map((p) => p.precision));
  const recall = mean(pages.map((p) => p.recall));
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const accuracy = mean(pages.map((p) => (p.exact ? 1 : 0)));
  return { precision, recall, f1, accuracy, pages: pages.length };
}
