import { describe, expect, it } from 'vitest';
import { FrameworkClassifier } from '../../../src/classifiers/framework-classifier.js';
import { parseModel, serialiseModel, thresholdFor, type ModelArtifact } from '../../../src/classifiers/model/artifact.js';
import { readActiveModel } from '../../../src/classifiers/model-registry.js';
import { repoFramework } from './helpers.js';

// A real Ukrainian sentence on EU sanctions against Russia (as quoted in languages.test.ts).
const UK = {
  lang: 'uk',
  title: 'Шостий пакет санкцій',
  text: "Посли Євросоюзу затвердили шостий пакет санкцій проти Росії, до якого увійшло часткове нафтове ембарго. Черговий пакет заходів США і Євросоюзу стосовно Росії у зв'язку з українською кризою вступив в силу 12 вересня.",
};

describe('a label threshold per language', () => {
  it('applies a language its own threshold where the model has one, the shared threshold elsewhere', () => {
    const model = { threshold: 0.4, thresholds: { uk: 0.3 } };
    expect(thresholdFor(model, 'uk')).toBe(0.3);
    expect(thresholdFor(model, 'de')).toBe(0.4);
    expect(thresholdFor(model, null)).toBe(0.4);
    expect(thresholdFor({ threshold: 0.4 }, 'uk')).toBe(0.4);
  });

  it('keeps per-language thresholds through a stored model', () => {
    const { artifact } = readActiveModel();
    const copy: ModelArtifact = { ...artifact, labels: artifact.labels.map((l, i) => (i === 0 ? { ...l, thresholds: { fr: 0.2 } } : l)) };
    expect(parseModel(serialiseModel(copy), 'test').labels[0]?.thresholds).toEqual({ fr: 0.2 });
  });

  it('decides a Ukrainian article by the Ukrainian threshold and leaves other languages alone', () => {
    const framework = repoFramework();
    const { artifact, version } = readActiveModel();
    const base = new FrameworkClassifier(framework, artifact, version);
    const sanctions = base.scoreAll(UK).scores.find((s) => s.id === 'targeted-sanctions');
    expect(sanctions).toBeDefined();
    const score = sanctions?.score ?? 0;
    // Just above this article's score in Ukrainian only: the label goes for uk, and scoreAll reports that threshold.
    const strict: ModelArtifact = {
      ...artifact,
      labels: artifact.labels.map((l) => (l.id === 'targeted-sanctions' ? { ...l, thresholds: { ...l.thresholds, uk: Math.min(1, score + 0.01) } } : l)),
    };
    const classifier = new FrameworkClassifier(framework, strict, version);
    expect(classifier.scoreAll(UK).scores.find((s) => s.id === 'targeted-sanctions')?.threshold).toBeCloseTo(Math.min(1, score + 0.01));
    expect(classifier.classify(UK).labels.map((l) => l.id)).not.toContain('targeted-sanctions');
    const de = { lang: 'de', title: 'EU: fünftes Sanktionspaket gegen Russland beschlossen', text: 'Außerdem friert die EU das Vermögen weiterer russischer Banken ein.' };
    expect(classifier.scoreAll(de).scores.find((s) => s.id === 'targeted-sanctions')?.threshold).toBe(thresholdFor(strict.labels.find((l) => l.id === 'targeted-sanctions')!, 'de'));
  });
});
