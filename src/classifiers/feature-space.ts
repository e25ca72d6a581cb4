import { anchoredMatches } from './anchored-cues.js';
import { matchDocument, sentenceIndexAt, weightedCount, type AnalysedDocument, type PlacedMatch } from './document.js';
import { lexiconStrength, ngramCounts, vectorize } from './features.js';
import type { Lexicon } from './lexicon.js';
import type { SparseRow } from './model/logistic.js';
import { assessScope, type ScopeAssessment } from './scope-gate.js';

/** Everything the classifier reads from one article: its scope, framework-term matches and n-grams. */
export interface ArticleSignals {
  doc: AnalysedDocument;
  scope: ScopeAssessment;
  /** Framework-term matches per label id. */
  matches: Map<string, PlacedMatch[]>;
  counts: Map<string, number>;
  /** Per label id: its cue matches that share a sentence with one of its named actors (`anchoredCues`). */
  anchored: Map<string, PlacedMatch[]>;
}

export function readSignals(doc: AnalysedDocument, lexicon: Lexicon): ArticleSignals {
  const matches = new Map<string, PlacedMatch[]>();
  const anchored = new Map<string, PlacedMatch[]>();
  for (const l of lexicon.labels) {
    const ms = matchDocument(doc, l.patterns);
    matches.set(l.id, ms);
    const rule = lexicon.anchored.get(l.id);
    if (rule) anchored.set(l.id, anchoredMatches(doc, rule, ms));
  }
  return { doc, scope: assessScope(doc, lexicon), matches, counts: ngramCounts(doc), anchored };
}

/** The framework features computed for each label, in order (the name prefix of each dense feature). */
export const PER_LABEL_FEATURES = ['framework', 'framework-in-scope', 'framework-lead', 'framework-coverage', 'framework-anchored'] as const;

const READABLE: Record<string, string> = {
  framework: '(framework terms)',
  'framework-in-scope': '(framework terms in context)',
  'framework-lead': '(framework terms in title/lead)',
  'framework-coverage': '(share of sentences with framework terms)',
  'framework-anchored': '(framework terms beside a named actor)',
  relevance: '(relevance)',
};

/** Dense feature names for these labels, in the order `denseValues` produces them. */
export function denseFeatureNames(labelIds: readonly string[]): string[] {
  return [...PER_LABEL_FEATURES.flatMap((f) => labelIds.map((id) => `${f}:${id}`)), 'relevance'];
}

/** Index of label `k`'s feature `f` among the dense features (the model masks other labels' features). */
export function denseIndex(feature: number, label: number, labelCount: number): number {
  return feature * labelCount + label;
}

/**
 * Framework features per label: term strength over the whole article; the same multiplied by relevance (so
 * the model can tell "sanctions" on Russia from "sanctions" on Iran); strength in the title and lead alone
 * (what the article is about); and the share of sentences that carry the label's terms (a substantive topic,
 * not a passing mention); the strength of the label's cues in sentences that name one of its actors
 * (`anchoredCues`: aid tied to Ukraine, a joint position tied to G7/EU/NATO/UN). Then relevance itself.
 * Labels the lexicon no longer has read as 0.
 */
export function denseValues(signals: ArticleSignals, labelIds: readonly string[]): number[] {
  const r = signals.scope.relevance;
  const sentenceCount = Math.max(1, signals.doc.text.sentences.length);
  const whole: number[] = [];
  const lead: number[] = [];
  const coverage: number[] = [];
  const anchored: number[] = [];
  for (const id of labelIds) {
    const ms = signals.matches.get(id) ?? [];
    whole.push(lexiconStrength(weightedCount(ms)));
    lead.push(lexiconStrength(weightedCount(ms.filter((m) => m.positionWeight > 1))));
    const sentences = new Set<number>();
    for (const m of ms) if (m.field === 'text') sentences.add(sentenceIndexAt(signals.doc.text, m.start));
    coverage.push(Math.min(1, sentences.size / sentenceCount));
    anchored.push(lexiconStrength(weightedCount(signals.anchored.get(id) ?? [])));
  }
  return [...whole, ...whole.map((s) => s * r), ...lead, ...coverage, ...anchored, r];
}

/** A fitted feature space: vocabulary index, IDF and dense feature layout. */
export class FeatureSpace {
  private readonly termIndex: Map<string, number>;

  constructor(
    readonly vocabulary: readonly string[],
    readonly idf: readonly number[],
    readonly denseLabels: readonly string[],
    readonly denseScale = 1,
  ) {
    this.termIndex = new Map(vocabulary.map((t, i) => [t, i]));
  }

  get dim(): number {
    return this.vocabulary.length + denseFeatureNames(this.denseLabels).length;
  }

  row(signals: ArticleSignals): SparseRow {
    return vectorize(signals.counts, this.termIndex, this.idf, denseValues(signals, this.denseLabels).map((v) => v * this.denseScale));
  }

  /**
   * A reader's name for feature `j`: the stem n-gram (`sanction_russia`), or what a framework feature
   * measures (the label is implied: a label's model only weighs its own framework features).
   */
  featureName(j: number): string {
    const term = this.vocabulary[j];
    if (term !== undefined) return term;
    const dense = denseFeatureNames(this.denseLabels)[j - this.vocabulary.length] ?? `#${j}`;
    return READABLE[dense.split(':')[0] ?? ''] ?? dense;
  }
}
