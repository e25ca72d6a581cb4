import { TITLE_WEIGHT, type AnalysedDocument, type FieldView } from './document.js';
import type { SparseRow } from './model/logistic.js';

/** Stem n-gram counts of an article (title counted twice: it says what the article is about). */
export function ngramCounts(doc: AnalysedDocument): Map<string, number> {
  const counts = new Map<string, number>();
  addField(counts, doc.title, TITLE_WEIGHT);
  addField(counts, doc.text, 1);
  return counts;
}

// Numbers ($820 million, E.O. 13902, 2022) name one event, never a topic; one-letter stems are noise.
const USEFUL = /^(?=.*\p{L})[\p{L}\p{N}]{2,}$/u;

function addField(counts: Map<string, number>, f: FieldView, weight: number): void {
  let prev: string | null = null;
  for (const t of f.tokens) {
    if (t.stop || !USEFUL.test(t.stem)) {
      // A stop word keeps the bigram chain ("sanctions on Russia" → sanction_russia); a number breaks it.
      if (!t.stop) prev = null;
      continue;
    }
    counts.set(t.stem, (counts.get(t.stem) ?? 0) + weight);
    if (prev !== null) {
      const bi = `${prev}_${t.stem}`;
      counts.set(bi, (counts.get(bi) ?? 0) + weight);
    }
    prev = t.stem;
  }
}

/** Feature names and IDF fitted on training articles. */
export interface Vocabulary {
  terms: string[];
  idf: number[];
}

/** Keeps n-grams seen in at least `minDf` training articles; smooth IDF as in scikit-learn. */
export function fitVocabulary(docs: readonly Map<string, number>[], minDf: number): Vocabulary {
  const df = new Map<string, number>();
  for (const d of docs) for (const k of d.keys()) df.set(k, (df.get(k) ?? 0) + 1);
  const terms = [...df.entries()].filter(([, n]) => n >= minDf).map(([k]) => k).sort();
  const n = docs.length;
  return { terms, idf: terms.map((t) => Math.log((1 + n) / (1 + (df.get(t) ?? 0))) + 1) };
}

/**
 * The article as one sparse row: sublinear TF-IDF of its n-grams, followed by the dense framework features
 * (framework-term strength per label, the same gated by relevance, and relevance). The n-gram part has unit
 * length; with `unknownIdf` set, n-grams outside the vocabulary count toward that length at this IDF, so a
 * text whose words the training texts hardly used (another language, another register) keeps small n-gram
 * values and is decided by its framework features, rather than by the one or two words it shares with them.
 */
export function vectorize(counts: Map<string, number>, termIndex: ReadonlyMap<string, number>, idf: readonly number[], dense: readonly number[], unknownIdf = 0): SparseRow {
  const idx: number[] = [];
  const val: number[] = [];
  let norm = 0;
  for (const [k, c] of counts) {
    const j = termIndex.get(k);
    if (j === undefined) {
      if (unknownIdf > 0) norm += ((1 + Math.log(c)) * unknownIdf) ** 2;
      continue;
    }
    const v = (1 + Math.log(c)) * (idf[j] as number);
    idx.push(j);
    val.push(v);
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < val.length; k++) val[k] = (val[k] as number) / norm;
  const base = idf.length;
  dense.forEach((v, k) => {
    if (v !== 0) {
      idx.push(base + k);
      val.push(v);
    }
  });
  return { idx, val };
}

/** Framework-term strength from a weighted match count: 0 for none, ~1 at ten weighted matches. */
export function lexiconStrength(weighted: number): number {
  return Math.log1p(weighted) / Math.log1p(10);
}
