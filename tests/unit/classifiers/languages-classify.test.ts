import { beforeAll, describe, expect, it } from 'vitest';
import { loadClassifier } from '../../../src/classifiers/load-classifier.js';
import type { Classifier } from '../../../src/domain/types.js';
import { repoFramework } from './helpers.js';

// Real sentences about EU sanctions on Russia in each language, as quoted in tests/unit/classifiers/
// languages.test.ts (sources there): the same topic must be recognised whichever language reports it.
const SETS: { lang: string; title: string; text: string }[] = [
  {
    lang: 'uk',
    title: 'Шостий пакет санкцій',
    text: "Посли Євросоюзу затвердили шостий пакет санкцій проти Росії, до якого увійшло часткове нафтове ембарго. Черговий пакет заходів США і Євросоюзу стосовно Росії у зв'язку з українською кризою вступив в силу 12 вересня.",
  },
  {
    lang: 'ru',
    title: 'ЕС утвердил девятый пакет санкций против России',
    text: '«Совет принял сегодня девятый пакет новых мер, направленных на усиление давления на Россию и её правительство», — отмечается в заявлении.',
  },
  {
    lang: 'de',
    title: 'EU: fünftes Sanktionspaket gegen Russland beschlossen',
    text: 'Außerdem friert die EU das Vermögen weiterer russischer Banken ein, verbietet Waffenlieferungen nach Russland und den Import von russischen Rohstoffen und wichtigen Vorprodukten im Wert von 5,5 Milliarden Euro. Die Europäische Union hat am Freitag Details zum Inhalt des 11. Sanktionspakets veröffentlicht, das vom EU-Rat offiziell verabschiedet wurde.',
  },
  {
    lang: 'fr',
    title: 'Sanctions contre la Russie',
    text: "Les dirigeants européens, réunis en sommet à Bruxelles, se sont félicités de l’adoption de ce nouveau paquet, le 12e depuis l’invasion russe de l’Ukraine le 24 février 2022. « La Pologne se félicite de l'adoption du 18e paquet de sanctions contre la Russie. Lancé pendant la présidence polonaise du Conseil de l'UE et finalement approuvé par le Danemark, le paquet de sanctions vise la machine militaire russe. »",
  },
];

let classifier: Classifier;
beforeAll(async () => {
  classifier = await loadClassifier(repoFramework());
});

describe('the same topic in every language the framework covers', () => {
  for (const set of SETS) {
    it(`reads ${set.lang} sentences on sanctions against Russia as sanctions, with evidence quoted from them`, () => {
      const result = classifier.classify({ title: set.title, text: set.text, lang: set.lang });
      expect(result.lang).toBe(set.lang);
      const sanctions = result.labels.find((l) => l.id === 'targeted-sanctions');
      expect(sanctions, `labels: ${result.labels.map((l) => l.id).join(', ') || 'none'}`).toBeDefined();
      for (const e of sanctions?.evidence ?? []) expect((e.field === 'title' ? set.title : set.text).slice(e.start, e.end)).toBe(e.text);
    });
  }

  it('gives no label to a real Ukrainian headline outside the framework (an inquiry in Norway)', () => {
    // epravda.com.ua, as quoted in languages.test.ts
    const title = 'Справа Епштейна: у Норвегії розпочали розслідування щодо експремʼєра';
    const result = classifier.classify({ title, text: title, lang: 'uk' });
    expect(result.labels).toEqual([]);
  });
});
