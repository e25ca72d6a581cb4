import type { Framework } from '../config/framework-schema.js';
import type { AppliedLabel, Classification, Classifier, ClassifierInput } from '../domain/types.js';
import { compileDirection, sanctionsDirection, type DirectionRules } from './direction.js';
import { analyse, type AnalysedDocument } from './document.js';
import { sentenceByModel, sentencesWithMatches } from './evidence.js';
import { FeatureSpace, readSignals } from './feature-space.js';
import { chooseLanguage, type LanguageChoice } from './language.js';
import { compileLexicons, type Lexicon, type Lexicons } from './lexicon.js';
import { type LabelModel, type ModelArtifact } from './model/artifact.js';
import { applyPlatt } from './model/calibration.js';
import { dot } from './model/logistic.js';
import type { Lang } from './text/lang.js';

// The strongest few contributions explain a score; more is noise to a reader.
const TOP_FEATURES = 5;

/** One label of the framework joined with its trained model. */
interface ActiveLabel {
  model: LabelModel;
  groups: string[];
}

/**
 * The framework classifier: framework terms and phrases (stemmed, proximity-matched, title and lead
 * weighted) and TF-IDF n-grams feed one calibrated logistic model per label; a scope gate keeps labels
 * inside the framework's context. Synchronous and allocation-light: well under 5 ms per article.
 */
export class FrameworkClassifier implements Classifier {
  readonly framework: string;
  private readonly lexicons: Lexicons;
  private readonly space: FeatureSpace;
  private readonly labels: ActiveLabel[];
  private readonly directions: Map<string, DirectionRules | null>;
  private readonly termIndex: Map<string, number>;

  constructor(
    framework: Framework,
    private readonly artifact: ModelArtifact,
    readonly model: string,
    /** The languages the classifier reads: the framework's `languages` unless narrowed. */
    private readonly languages: readonly string[] = framework.languages,
  ) {
    this.framework = framework.version;
    this.lexicons = compileLexicons(framework);
    const denseLabels = artifact.denseFeatures.filter((n) => n.startsWith('framework:')).map((n) => n.slice('framework:'.length));
    this.space = new FeatureSpace(artifact.vocabulary, artifact.idf, denseLabels, artifact.options['denseScale'] ?? 1);
    const byId = new Map(artifact.labels.map((l) => [l.id, l]));
    // Labels follow the framework file: its order, its groups; a label the model does not know is not scored.
    this.labels = framework.labels.flatMap((l) => {
      const m = byId.get(l.id);
      return m ? [{ model: m, groups: [...l.groups] }] : [];
    });
    this.directions = new Map(framework.languages.map((lang) => [lang, compileDirection(framework, lang)]));
    this.termIndex = new Map(artifact.vocabulary.map((t, i) => [t, i]));
  }

  classify(input: ClassifierInput): Classification {
    const language = this.language(input);
    if (!language.supported) {
      const unsupported = { lang: language.lang, reason: language.reason };
      return { labels: [], relevance: 0, framework: this.framework, model: this.model, lang: language.lang, unsupported };
    }
    const { doc, lexicon } = this.read(input, language.lang);
    const signals = readSignals(doc, lexicon);
    const relevance = signals.scope.relevance;
    const result: Classification = { labels: [], relevance: round3(relevance), framework: this.framework, model: this.model, lang: language.lang };
    if (relevance < this.artifact.minRelevance) return result;
    const row = this.space.row(signals);
    for (const { model, groups } of this.labels) {
      const score = applyPlatt(model.platt, dot(model.weights, row) + model.bias);
      if (score < model.threshold) continue;
      const matches = signals.matches.get(model.id) ?? [];
      const contributions = row.idx
        .map((j, k) => ({ j, c: (model.weights[j] ?? 0) * (row.val[k] ?? 0) }))
        .filter((x) => x.c > 0)
        .sort((a, b) => b.c - a.c)
        .slice(0, TOP_FEATURES);
      let evidence = sentencesWithMatches(doc, matches);
      if (evidence.length === 0) evidence = sentenceByModel(doc, (stem) => this.weightOf(model, stem));
      const label: AppliedLabel = { id: model.id, score: round3(score), groups, evidence, features: contributions.map((x) => this.space.featureName(x.j)) };
      const direction = this.directions.get(language.lang) ?? null;
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
      const scores = this.labels.map(({ model }) => ({ id: model.id, score: 0, threshold: model.threshold }));
      return { relevance: 0, scores, lang: language.lang, unsupported: { lang: language.lang, reason: language.reason } };
    }
    const { doc, lexicon } = this.read(input, language.lang);
    const signals = readSignals(doc, lexicon);
    const row = this.space.row(signals);
    return {
      relevance: signals.scope.relevance,
      lang: language.lang,
      scores: this.labels.map(({ model }) => ({ id: model.id, score: applyPlatt(model.platt, dot(model.weights, row) + model.bias), threshold: model.threshold })),
    };
  }

  /** The article analysed in `lang` with that language's framework vocabulary (and its compound splitter). */
  private read(input: ClassifierInput, lang: Lang): { doc: AnalysedDocument; lexicon: Lexicon } {
    const lexicon = this.lexicons.lexiconFor(lang);
    // chooseLanguage only returns languages of this.languages, which default to the framework's own.
    if (!lexicon) throw new Error(`the framework has no vocabulary in "${lang}" (languages: ${this.lexicons.languages.join(', ')})`);
    return { doc: analyse({ title: input.title, text: input.text, lang }, { compounds: lexicon.compounds }), lexicon };
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
