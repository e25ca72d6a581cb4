import { beforeAll, describe, expect, it } from 'vitest';
import { FrameworkClassifier } from '../../../src/classifiers/framework-classifier.js';
import { loadClassifier } from '../../../src/classifiers/load-classifier.js';
import { readDataset } from '../../../src/classifiers/dataset.js';
import { defaultModelsDir, readActiveModel } from '../../../src/classifiers/model-registry.js';
import { dev, devDataset, repoFramework } from './helpers.js';

// wgospodarce.pl/informacje/108106-przywodcy-ue-zgodzili-sie-na-nowy-pakiet-sankcji-wobec-rosji
const POLISH = {
  title: 'Przywódcy UE zgodzili się na nowy pakiet sankcji wobec Rosji',
  text: 'Przywódcy Unii Europejskiej uzgodnili w czwartek w Brukseli, że nałożą nowe sankcje na rosyjski sektor finansowy, energetyczny i transportowy oraz wprowadzą kontrolę eksportu.',
};
const ENGLISH = {
  title: 'Treasury Imposes New Sanctions on Russia',
  text:
    'WASHINGTON — The U.S. Department of the Treasury today imposed new sanctions on Russia, designating 40 banks ' +
    'and energy firms that fund the Kremlin’s war against Ukraine. The G7 partners coordinated the measures.',
};

let classifier: FrameworkClassifier;
beforeAll(async () => {
  classifier = (await loadClassifier(repoFramework())) as FrameworkClassifier;
});

describe('FrameworkClassifier languages', () => {
  it('gives an article in a language the framework does not cover no labels and the reason', () => {
    const r = classifier.classify({ ...POLISH, lang: 'en' });
    expect(r).toMatchObject({ labels: [], relevance: 0, lang: 'pl', unsupported: { lang: 'pl', reason: 'language pl (detected) is not one the framework covers: en, uk, ru, de, fr' } });
    expect(r.framework).toBe(classifier.framework);
    const s = classifier.scoreAll(POLISH);
    expect(s.unsupported?.lang).toBe('pl');
    expect(s.scores.every((x) => x.score === 0)).toBe(true);
  });

  it('records the language it read an English article in, whatever the page declared, with the same labels', () => {
    const plain = classifier.classify(ENGLISH);
    expect(plain.lang).toBe('en');
    expect(plain.unsupported).toBeUndefined();
    expect(plain.labels.length).toBeGreaterThan(0);
    expect(classifier.classify({ ...ENGLISH, lang: 'uk-UA' })).toEqual(plain);
    expect(classifier.scoreAll({ ...ENGLISH, lang: 'en' }).lang).toBe('en');
  });

  it('covers only the languages it is given', () => {
    const active = readActiveModel(defaultModelsDir());
    const enOnly = new FrameworkClassifier(repoFramework(), active.artifact, active.version, ['en']);
    // Ukrainian text (epravda.com.ua/news/2022/06/2/687748) with only English covered.
    const r = enOnly.classify({ title: '', text: 'Посли Євросоюзу затвердили шостий пакет санкцій проти Росії, до якого увійшло часткове нафтове ембарго.' });
    expect(r.unsupported).toEqual({ lang: 'uk', reason: 'language uk (detected) is not one the framework covers: en' });
  });

  it.skipIf(!dev.present)('reads every dev-set article as English', () => {
    for (const e of readDataset(devDataset)) expect(classifier.classify(e).lang, e.id).toBe('en');
  });
});
