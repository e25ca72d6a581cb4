import { describe, expect, it } from 'vitest';
import { chooseLanguage } from '../../../src/classifiers/language.js';
import { primaryLanguage } from '../../../src/classifiers/text/lang.js';

// Real sentences from public pages (found with the pages search; short quotes, source on each).
const TEXTS = {
  // epravda.com.ua/news/2022/06/2/687748
  uk: 'Посли Євросоюзу затвердили шостий пакет санкцій проти Росії, до якого увійшло часткове нафтове ембарго. За його словами, деталі мають опублікувати в Офіційному журналі ЄС у п’ятницю.',
  // report.az/ru/v-regione/posly-es-soglasovali-devyatyj-paket-sankcij-protiv-rossii
  ru: 'Послы 27 стран - членов Евросоюза согласовали девятый пакет санкций против России из-за военных действий в Украине, он будет утвержден в пятницу по письменной процедуре, то есть без дальнейшего обсуждения.',
  // ostexperte.de/eu-funftes-sanktionspaket-gegen-russland-beschlossen/
  de: 'Die 27 EU-Mitgliedsstaaten haben das fünfte umfassende Paket mit Sanktionen gegen Russland beschlossen. Die ständigen Vertreter der EU-Staaten einigten sich auf Vorschläge der EU-Kommission, welche Importstopps für Holz, Kohle und Wodka vorsehen.',
  // boursier.com/actualites/reuters/l-union-europeenne-adopte-un-10e-train-de-sanctions-contre-la-russie-320204.html
  fr: "Les pays membres de l'Union européenne ont adopté vendredi, jour du premier anniversaire de l'invasion russe de l'Ukraine, un dixième paquet de sanctions contre la Russie, a annoncé la Suède, présidente en exercice du conseil de l'UE.",
  // gn-online.de/nachrichten/eu-sanktionen-gegen-russland-beschlossen-433201.html (the EU leaders' statement it quotes)
  en: "Europe is united in its impactful response to Russia's illegal actions and threats to Ukraine and its people. We welcome the swift adoption of the sanctions package by the Council. We stand for a rules based international order.",
  // wgospodarce.pl/informacje/108106-przywodcy-ue-zgodzili-sie-na-nowy-pakiet-sankcji-wobec-rosji
  pl: 'Przywódcy Unii Europejskiej uzgodnili w czwartek w Brukseli, że nałożą nowe sankcje na rosyjski sektor finansowy, energetyczny i transportowy oraz wprowadzą kontrolę eksportu.',
  // elespectador.com/mundo/europa/la-ue-extiende-hasta-2026-las-sanciones-economicas-contra-rusia-por-la-guerra-en-ucrania/
  es: 'El Consejo de la Unión Europea (UE) renovó este lunes otros seis meses, hasta el 31 de enero de 2026, las sanciones económicas a Rusia por sus acciones desestabilizadoras en Ucrania.',
  // A Ukrainian text served from the Russian-language section of capital.ua (capital.ua/ru/news/178892-…)
  ukOnRuPage: 'Президент України Володимир Зеленський провів нараду з міністром оборони Денисом Шмигалем, під час якої йшлося про зустріч "Рамштайн" та пріоритети на наступний рік.',
  // A paragraph of a US Treasury release (tests/unit/classifiers/classifier.test.ts): tinyld alone reads it as Berber.
  treasury:
    'Treasury Imposes Sanctions on Russia’s Military-Industrial Base. The Treasury Department imposed sanctions on more than 100 Russian companies today. The new sanctions on Russia target suppliers of the Kremlin’s war machine, and the sanctions designations block their assets.',
};

const choose = (text: string, declared: string | null = null, title = '') => chooseLanguage({ declared, title, text });

describe('chooseLanguage', () => {
  it('detects each covered language from real text', () => {
    for (const lang of ['uk', 'ru', 'de', 'fr', 'en'] as const) {
      expect(choose(TEXTS[lang]), lang).toEqual({ supported: true, lang, source: 'detected' });
    }
    expect(choose(TEXTS.treasury)).toMatchObject({ supported: true, lang: 'en' });
  });

  it('tells Ukrainian from Russian by their own letters', () => {
    expect(choose(TEXTS.ukOnRuPage)).toMatchObject({ lang: 'uk' });
    expect(choose(TEXTS.ru)).toMatchObject({ lang: 'ru' });
    // A Russian quotation inside a Ukrainian text does not turn it Russian.
    expect(choose(`${TEXTS.uk} «Совет принял сегодня девятый пакет новых мер», — отмечается в заявлении.`)).toMatchObject({ lang: 'uk' });
  });

  it('trusts the text over a page that declares another language', () => {
    expect(choose(TEXTS.ukOnRuPage, 'ru-RU')).toEqual({ supported: true, lang: 'uk', source: 'detected', note: 'page declared ru, text is uk' });
    expect(choose(TEXTS.de, 'en')).toMatchObject({ supported: true, lang: 'de', source: 'detected' });
    expect(choose(TEXTS.fr, 'de-AT')).toMatchObject({ lang: 'fr' });
  });

  it('says which language is not covered, found from the text even when the page claims a covered one', () => {
    expect(choose(TEXTS.pl)).toEqual({ supported: false, lang: 'pl', reason: 'language pl (detected) is not one the framework covers: en, uk, ru, de, fr' });
    expect(choose(TEXTS.es, 'en-US')).toEqual({ supported: false, lang: 'es', reason: 'language es (detected) is not one the framework covers: en, uk, ru, de, fr' });
  });

  it('uses the declared language for a text too short to detect, and says so when there is none', () => {
    expect(choose('Санкції', 'uk-UA')).toEqual({ supported: true, lang: 'uk', source: 'declared' });
    expect(choose('Sanktionen', 'de-AT')).toEqual({ supported: true, lang: 'de', source: 'declared' });
    // Cyrillic letters decide even a title: і/ї are Ukrainian, ы/э Russian.
    expect(choose('Санкції проти Росії', 'ru')).toMatchObject({ supported: true, lang: 'uk', source: 'detected' });
    expect(choose('Новые санкции против России: что это значит', null)).toMatchObject({ lang: 'ru' });
    expect(choose('Санкции против России', 'ru-RU')).toEqual({ supported: true, lang: 'ru', source: 'declared' });
    expect(choose('Sanctions', null)).toEqual({ supported: false, lang: null, reason: 'text too short to detect its language' });
    expect(choose('Sankcje', 'pl-PL')).toEqual({ supported: false, lang: 'pl', reason: 'language pl (declared) is not one the framework covers: en, uk, ru, de, fr' });
  });

  it('reads the title with the text', () => {
    expect(choose('', null, TEXTS.de)).toMatchObject({ lang: 'de' });
  });

  it('covers only the languages it is given', () => {
    expect(chooseLanguage({ title: '', text: TEXTS.fr }, ['en', 'de'])).toEqual({
      supported: false,
      lang: 'fr',
      reason: 'language fr (detected) is not one the framework covers: en, de',
    });
  });
});

describe('primaryLanguage', () => {
  it('reads region tags and the common "ua" mistake', () => {
    expect(['uk-UA', 'ru_RU', 'de-AT', 'FR', 'ua', 'en-GB', '', null, 'x'].map(primaryLanguage)).toEqual(['uk', 'ru', 'de', 'fr', 'uk', 'en', null, null, null]);
  });
});
