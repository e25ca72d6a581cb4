import { anchoredMatches } from './anchored-cues.js';
import { matchDocument, weightedCount, type AnalysedDocument, type PlacedMatch } from './document.js';
import { lexiconStrength, ngramCounts, vectorize } from './features.js';
import type { Lexicon } from './lexicon.js';
import type { SparseRow } from './model/logistic.js';
import { passageFigures, textSentences } from './passages.js';
import { assessScope, relevanceFor, type ScopeAssessment } from './scope-gate.js';

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
export const PER_LABEL_FEATURES = [
  'framework',
  'framework-in-scope',
  'framework-lead',
  'framework-coverage',
  'framework-anchored',
  'passage-peak',
  'passage-in-scope',
  'passage-anchored',
  'framework-distinct',
] as const;
type LabelFeature = (typeof PER_LABEL_FEATURES)[number];

const READABLE: Record<string, string> = {
  framework: '(framework terms)',
  'framework-in-scope': '(framework terms in context)',
  'framework-lead': '(framework terms in title/lead)',
  'framework-coverage': '(share of sentences with framework terms)',
  'framework-anchored': '(framework terms beside a named actor)',
  'passage-peak': '(a passage dense with framework terms)',
  'passage-in-scope': '(passages with framework terms beside the context)',
  'passage-anchored': '(a sentence tying framework terms to a named actor)',
  'framework-distinct': '(several different framework terms)',
  language: '(the article\'s language)',
  relevance: '(relevance)',
};

/**
 * Dense feature names for these labels, in the order a new model stores them: per feature, per label; then
 * relevance. With `languages`, each of those features again per language (`framework@de:<label>`, zero
 * unless the article is in that language), and per label and language an intercept (`language@de:<label>`):
 * feature augmentation, so the shared weights carry what holds in every language and a language's own
 * weights what differs there (its vocabulary's coverage, its publishers' style).
 */
export function denseFeatureNames(labelIds: readonly string[], languages: readonly string[] = []): string[] {
  const shared = [...PER_LABEL_FEATURES.flatMap((f) => labelIds.map((id) => `${f}:${id}`)), 'relevance'];
  const perLanguage = languages.flatMap((lang) => [
    ...[...PER_LABEL_FEATURES, 'language'].flatMap((f) => labelIds.map((id) => `${f}@${lang}:${id}`)),
    `relevance@${lang}`,
  ]);
  return [...shared, ...perLanguage];
}

/**
 * Framework features of one label. Whole text: term strength; the same multiplied by relevance (so the model
 * can tell "sanctions" on Russia from "sanctions" on Iran); strength in the title and lead alone (what the
 * article is about); the share of sentences that carry the label's terms; the strength of its cues in
 * sentences that name one of its actors (`anchoredCues`); how many different framework terms match.
 * Passages (`passages.ts`): the strongest passage, the passages in context, the strongest anchored sentence,
 * so a paragraph, list item or table row on a second topic counts. None of them depends on which language's
 * words matched: a model trained mostly on English reads them the same way in the other languages.
 */
function labelFeatures(signals: ArticleSignals, id: string, anchorSentences: ReadonlySet<number>, titleAnchored: boolean): Record<LabelFeature, number> {
  const r = relevanceFor(signals.scope, id);
  const ms = signals.matches.get(id) ?? [];
  const anchored = signals.anchored.get(id) ?? [];
  const whole = lexiconStrength(weightedCount(ms));
  const sentences = textSentences(signals.doc, ms);
  const passage = passageFigures(signals.doc, ms, anchored, anchorSentences, titleAnchored);
  return {
    framework: whole,
    'framework-in-scope': whole * r,
    'framework-lead': lexiconStrength(weightedCount(ms.filter((m) => m.positionWeight > 1))),
    'framework-coverage': Math.min(1, sentences.size / Math.max(1, signals.doc.text.sentences.length)),
    'framework-anchored': lexiconStrength(weightedCount(anchored)),
    'passage-peak': passage.peak,
    'passage-in-scope': passage.inScope,
    'passage-anchored': passage.anchoredPeak,
    'framework-distinct': lexiconStrength(new Set(ms.map((m) => m.pattern.text)).size),
  };
}

/** Where a dense feature's value comes from: one label's feature, relevance or the language; `lang`: only in that language. */
type DenseSlot = { label: number; feature: LabelFeature | 'language'; lang: string | null } | { label: -1; feature: 'relevance'; lang: string | null };

function parseDense(names: readonly string[]): { labels: string[]; slots: DenseSlot[] } {
  const labels: string[] = [];
  const slots = names.map((name): DenseSlot => {
    const cut = name.indexOf(':');
    const head = cut < 0 ? name : name.slice(0, cut);
    const at = head.indexOf('@');
    const feature = at < 0 ? head : head.slice(0, at);
    const lang = at < 0 ? null : head.slice(at + 1);
    if (feature === 'relevance' && cut < 0) return { label: -1, feature, lang };
    if (cut < 0 || !(PER_LABEL_FEATURES.includes(feature as LabelFeature) || (feature === 'language' && lang !== null))) throw new Error(`unknown model feature ${name}`);
    const id = name.slice(cut + 1);
    let k = labels.indexOf(id);
    if (k < 0) k = labels.push(id) - 1;
    return { label: k, feature: feature as LabelFeature | 'language', lang };
  });
  return { labels, slots };
}

/** A fitted feature space: vocabulary index, IDF and dense feature layout (by name, as the model stores it). */
export class FeatureSpace {
  private readonly termIndex: Map<string, number>;
  private readonly labels: string[];
  private readonly slots: DenseSlot[];
  private readonly unknownIdf: number;

  constructor(
    readonly vocabulary: readonly string[],
    readonly idf: readonly number[],
    readonly denseNames: readonly string[],
    readonly denseScale = 1,
    unknownNorm = false,
  ) {
    this.termIndex = new Map(vocabulary.map((t, i) => [t, i]));
    // An n-gram outside the vocabulary was seen in fewer training texts than any in it: the highest IDF.
    this.unknownIdf = unknownNorm ? Math.max(0, ...idf) : 0;
    ({ labels: this.labels, slots: this.slots } = parseDense(denseNames));
  }

  get dim(): number {
    return this.vocabulary.length + this.denseNames.length;
  }

  /** For each dense feature, the index of the label it belongs to, or -1 (relevance: shared by all labels). */
  denseOwners(): number[] {
    return this.slots.map((s) => s.label);
  }

  /** Index of label `id` among the dense features' labels, or -1. */
  labelIndex(id: string): number {
    return this.labels.indexOf(id);
  }

  row(signals: ArticleSignals): SparseRow {
    const anchorSentences = textSentences(signals.doc, signals.scope.anchors);
    const titleAnchored = signals.scope.anchors.some((m) => m.field === 'title');
    const perLabel = this.labels.map((id) => labelFeatures(signals, id, anchorSentences, titleAnchored));
    const lang = signals.doc.lang;
    const dense = this.slots.map((s) => {
      if (s.lang !== null && s.lang !== lang) return 0;
      if (s.feature === 'relevance') return signals.scope.relevance * this.denseScale;
      if (s.feature === 'language') return this.denseScale;
      return (perLabel[s.label] as Record<LabelFeature, number>)[s.feature] * this.denseScale;
    });
    return vectorize(signals.counts, this.termIndex, this.idf, dense, this.unknownIdf);
  }

  /**
   * A reader's name for feature `j`: the stem n-gram (`sanction_russia`), or what a framework feature
   * measures (the label is implied: a label's model only weighs its own framework features).
   */
  featureName(j: number): string {
    const term = this.vocabulary[j];
    if (term !== undefined) return term;
    const dense = this.denseNames[j - this.vocabulary.length] ?? `#${j}`;
    const [head = '', lang] = (dense.split(':')[0] ?? '').split('@');
    const readable = READABLE[head] ?? dense;
    return lang === undefined ? readable : `${readable} (${lang})`;
  }
}
