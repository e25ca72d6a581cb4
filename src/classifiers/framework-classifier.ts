import type { Framework } from '../config/framework-schema.js';
import type { AppliedLabel, Classification, Classifier, ClassifierInput } from '../domain/types.js';
import { compileDirection, sanctionsDirection, type DirectionRules } from './direction.js';
import { sentenceByModel, sentencesWithMatches } from './evidence.js';
import { FeatureSpace } from './feature-space.js';
import { chooseLanguage, type LanguageChoice } from './language.js';
import { thresholdFor, type LabelModel, type ModelArtifact } from './model/artifact.js';
import { applyPlatt } from './model/calibration.js';
import { dot } from './model/logistic.js';
import { ArticleReader } from './reader.js';
import { highestRelevance, relevanceFor } from './scope-gate.js';

// The strongest few contributions explain a score; more is noise to a reader.
const TOP_FEATURES = 5;

/** One label of the framework joined with its trained model. */
interface ActiveLabel {
  model: LabelModel;
  groups: string[];
}

/**
 * The framework classifier: the article's language is chosen first, then framework terms and phrases in
 * that language (stemmed, proximity-matched, title and lead weighted, over the whole text and its passages)
 * and TF-IDF n-grams feed one calibrated logistic model per label; a scope gate keeps labels inside the
 * framework's context. Synchronous and allocation-light: well under 5 ms per article.
 */
export class FrameworkClassifier implements Classifier {
  readonly framework: string;
  private readonly reader: ArticleReader;
  private readonly space: FeatureSpace;
  private readonly labels: ActiveLabel[];
  /** Sanctions-direction cues per language (null where the framework defines none). */
  private readonly direction = new Map<string, DirectionRules | null>();
  /** The languages the framework covers (its `languages`). */
  private readonly languages: readonly string[];
  private readonly termIndex: Map<string, number>;

  constructor(
    framework: Framework,
    private readonly artifact: ModelArtifact,
    readonly model: string,
    /** The languages to read (default: every language the framework covers); others are recorded as unsupported. */
    languages?: readonly string[],
  ) {
    this.framework = framework.version;
    this.reader = new ArticleReader(framework);
    this.languages = languages ?? this.reader.languages;
    for (const lang of framework.languages) this.direction.set(lang, compileDirection(framework, lang));
    this.space = new FeatureSpace(artifact.vocabulary, artifact.idf, artifact.denseFeatures, artifact.options['denseScale'] ?? 1, (artifact.options['unknownNorm'] ?? 0) > 0);
    const byId = new Map(artifact.labels.map((l) => [l.id, l]));
    // Labels follow the framework file: its order, its groups; a label the model does not know is not scored.
    this.labels = framework.labels.flatMap((l) => {
      const m = byId.get(l.id);
      return m ? [{ model: m, groups: [...l.groups] }] : [];
    });
    this.termIndex = new Map(artifact.vocabulary.map((t, i) => [t, i]));
  }

  classify(input: ClassifierInput): Classification {
    const language = this.language(input);
    if (!language.supported) {
      const unsupported = { lang: language.lang, reason: language.reason };
      return { labels: [], relevance: 0, framework: this.framework, model: this.model, lang: language.lang, unsupported };
    }
    const signals = this.reader.read(input, language.lang);
    const doc = signals.doc;
    const direction = this.direction.get(language.lang) ?? null;
    const relevance = signals.scope.relevance;
    const result: Classification = { labels: [], relevance: round3(relevance), framework: this.framework, model: this.model, lang: language.lang };
    if (highestRelevance(signals.scope) < this.artifact.minRelevance) return result;
    const row = this.space.row(signals);
    for (const { model, groups } of this.labels) {
      if (relevanceFor(signals.scope, model.id) < this.artifact.minRelevance) continue;
      const score = applyPlatt(model.platt, dot(model.weights, row) + model.bias);
      if (score < thresholdFor(model, language.lang)) continue;
      const matches = signals.matches.get(model.id) ?? [];
      const contributions = row.idx
        .map((j, k) => ({ j, c: (model.weights[j] ?? 0) * (row.val[k] ?? 0) }))
        .filter((x) => x.c > 0)
        .sort((a, b) => b.c - a.c)
        .slice(0, TOP_FEATURES);
      let evidence = sentencesWithMatches(doc, matches);
      if (evidence.length === 0) evidence = sentenceByModel(doc, (stem) => this.weightOf(model, stem));
      const label: AppliedLabel = { id: model.id, score: round3(score), groups, evidence, features: contributions.map((x) => this.space.featureName(x.j)) };
      if (direction && direction.label === model.id) {
        const d = sanctionsDirection(doc, direction, matches);
        label.direction = d.direction;
        label.directionEvidence = d.evidence;
      }
      result.labels.push(label);
    }
    return result;
  }

  /** Every label's calibrated score and threshold, applied or not (for eval, backtest and debugging). */
  scoreAll(input: ClassifierInput): {
    relevance: number;
    scores: { id: string; score: number; threshold: number }[];
    lang: string | null;
    unsupported?: { lang: string | null; reason: string };
  } {
    const language = this.language(input);
    if (!language.supported) {
      const scores = this.labels.map(({ model }) => ({ id: model.id, score: 0, threshold: thresholdFor(model, language.lang) }));
      return { relevance: 0, scores, lang: language.lang, unsupported: { lang: language.lang, reason: language.reason } };
    }
    const signals = this.reader.read(input, language.lang);
    const row = this.space.row(signals);
    return {
      relevance: signals.scope.relevance,
      lang: language.lang,
      scores: this.labels.map(({ model }) => ({ id: model.id, score: applyPlatt(model.platt, dot(model.weights, row) + model.bias), threshold: thresholdFor(model, language.lang) })),
    };
  }

  /** The language to read the article in: its text's own, else its declared one, or why it cannot be read. */
  private language(input: ClassifierInput): LanguageChoice {
    return chooseLanguage({ declared: input.lang ?? null, title: input.title, text: input.text }, this.languages);
  }

  private weightOf(model: LabelModel, stem: string): number | undefined {
    const j = this.termIndex.get(stem);
    return j === undefined ? undefined : model.weights[j];
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
