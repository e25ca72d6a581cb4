import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Platt } from './calibration.js';

/** One label's linear model over the shared features, with its calibration and threshold. */
export interface LabelModel {
  id: string;
  /** Weights over `vocabulary` followed by `denseFeatures`. */
  weights: number[];
  bias: number;
  platt: Platt;
  /** Calibrated score at or above which the label applies, chosen by cross-validation. */
  threshold: number;
  /** Per language other than the framework's first, where its own texts moved the threshold (`languageThresholds`). */
  thresholds?: Record<string, number>;
}

/** The threshold a label applies at in an article of `lang`. */
export function thresholdFor(model: Pick<LabelModel, 'threshold' | 'thresholds'>, lang: string | null): number {
  return (lang !== null ? model.thresholds?.[lang] : undefined) ?? model.threshold;
}

/** A trained model as stored on disk; its version is the hash of this content. */
export interface ModelArtifact {
  format: 'framewatch-linear/1';
  /** Framework version the model was trained with (its framework features come from that file). */
  framework: string;
  seed: number;
  options: Record<string, number>;
  /** Relevance below which no label applies (the scope gate). */
  minRelevance: number;
  training: { examples: number; frameworkTexts: number; perLabel: Record<string, number>; datasets: string[] };
  vocabulary: string[];
  idf: number[];
  /** Names of the dense features after the vocabulary, e.g. `framework:<label>`, `relevance`. */
  denseFeatures: string[];
  labels: LabelModel[];
}

const artifactSchema = z.object({
  format: z.literal('framewatch-linear/1'),
  framework: z.string(),
  seed: z.number(),
  options: z.record(z.string(), z.number()),
  minRelevance: z.number(),
  training: z.object({ examples: z.number(), frameworkTexts: z.number(), perLabel: z.record(z.string(), z.number()), datasets: z.array(z.string()) }),
  vocabulary: z.array(z.string()),
  idf: z.array(z.number()),
  denseFeatures: z.array(z.string()),
  labels: z.array(
    z.object({ id: z.string(), weights: z.array(z.number()), bias: z.number(), platt: z.object({ a: z.number(), b: z.number() }),
      threshold: z.number(),
      thresholds: z.record(z.string(), z.number()).optional(),
    }),
  ),
});

/** Rounds to 6 significant digits: the stored file, the hash and the loaded model then agree exactly. */
export function round6(x: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(6));
}

export function serialiseModel(artifact: ModelArtifact): string {
  return `${JSON.stringify(artifact)}\n`;
}

/** `m-` + the first 12 hex digits of the SHA-256 of the serialised model. */
export function modelVersion(artifact: ModelArtifact): string {
  return `m-${createHash('sha256').update(serialiseModel(artifact)).digest('hex').slice(0, 12)}`;
}

/** Parses and checks a stored model; the weight vectors must match the feature count. */
export function parseModel(text: string, origin: string): ModelArtifact {
  const parsed = artifactSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${origin}: not a framewatch model: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const m = parsed.data as ModelArtifact;
  const dim = m.vocabulary.length + m.denseFeatures.length;
  for (const l of m.labels) {
    if (l.weights.length !== dim) throw new Error(`${origin}: label ${l.id} has ${l.weights.length} weights for ${dim} features`);
  }
  return m;
}
