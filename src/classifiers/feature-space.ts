import { matchDocument, weightedCount, type AnalysedDocument, type PlacedMatch } from './document.js';
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
}

export function readSignals(doc: AnalysedDocument, lexicon: Lexicon): ArticleSignals {
  const matches = new Map<string, PlacedMatch[]>();
  for (const l of lexicon.labels) matches.set(l.id, matchDocument(doc, l.patterns));
  return { doc, scope: assessScope(doc, lexicon), matches, counts: ngramCounts(doc) };
}

/** Dense feature names for these labels, in the order `denseValues` produces them. */
export function denseFeatureNames(labelIds: readonly string[]): string[] {
  return [...labelIds.map((id) => `framework:${id}`), ...labelIds.map((id) => `framework-in-scope:${id}`), 'relevance'];
}

/**
 * Framework features: each label's term strength, the same multiplied by relevance (so the model can tell
 * "sanctions" on Russia from "sanctions" on Iran), and relevance itself. Labels the lexicon no longer has
 * read as 0.
 */
export function denseValues(signals: ArticleSignals, labelIds: readonly string[]): number[] {
  const strengths = labelIds.map((id) => lexiconStrength(weightedCount(signals.matches.get(id) ?? [])));
  const r = signals.scope.relevance;
  return [...strengths, ...strengths.map((s) => s * r), r];
}

/** A fitted feature space: vocabulary index, IDF and dense feature layout. */
export class FeatureSpace {
  private readonly termIndex: Map<string, number>;

  constructor(
    readonly vocabulary: readonly string[],
    readonly idf: readonly number[],
    readonly denseLabels: readonly string[],
  ) {
    this.termIndex = new Map(vocabulary.map((t, i) => [t, i]));
  }

  get dim(): number {
    return this.vocabulary.length + denseFeatureNames(this.denseLabels).length;
  }

  row(signals: ArticleSignals): SparseRow {
    return vectorize(signals.counts, this.termIndex, this.idf, denseValues(signals, this.denseLabels));
  }

  featureName(j: number): string {
    return this.vocabulary[j] ?? denseFeatureNames(this.denseLabels)[j - this.vocabulary.length] ?? `#${j}`;
  }
}
