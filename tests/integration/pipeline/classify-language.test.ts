import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadClassifier } from '../../../src/classifiers/load-classifier.js';
import { systemClock, type Classifier, type ExtractedArticle, type FeedItem } from '../../../src/domain/types.js';
import { runClassifyJob } from '../../../src/pipeline/classify.js';
import { runStoreJob } from '../../../src/pipeline/store.js';
import { RedisWorkStore } from '../../../src/queues/work-store.js';
import { ArticleStore } from '../../../src/store/article-store.js';
import { startApiHarness, type ApiHarness } from '../../helpers/api-harness.js';
import { repoFramework } from '../../unit/classifiers/helpers.js';

// Real sentences from public pages (found with the pages search; short quotes, source on each).
// wgospodarce.pl/informacje/108106-przywodcy-ue-zgodzili-sie-na-nowy-pakiet-sankcji-wobec-rosji
const POLISH =
  'Przywódcy Unii Europejskiej uzgodnili w czwartek w Brukseli, że nałożą nowe sankcje na rosyjski sektor finansowy, energetyczny i transportowy oraz wprowadzą kontrolę eksportu, a także dodadzą kolejnych Rosjan na czarną listę sankcyjną w związku z inwazją Rosji na Ukrainę.';
// epravda.com.ua/news/2022/06/2/687748
const UKRAINIAN =
  'Посли Євросоюзу затвердили шостий пакет санкцій проти Росії, до якого увійшло часткове нафтове ембарго. За його словами, деталі мають опублікувати в Офіційному журналі ЄС у п’ятницю.';
// The EU leaders' statement quoted by gn-online.de/nachrichten/eu-sanktionen-gegen-russland-beschlossen-433201.html
const ENGLISH =
  "Europe is united in its impactful response to Russia's illegal actions and threats to Ukraine and its people. We welcome the swift adoption of the sanctions package by the Council.";

interface Trace {
  stage: string;
  outcome: string;
  reason?: string;
  lang?: string | null;
}
interface Detail {
  lang: string | null;
  labels: unknown[];
  relevance: number | null;
  trace: Trace[];
}

let h: ApiHarness;
let work: RedisWorkStore;
let articles: ArticleStore;
let classifier: Classifier;
const enqueued: { queue: string; payload: unknown }[] = [];

beforeAll(async () => {
  h = await startApiHarness('classify_language');
  work = new RedisWorkStore(h.redis, h.prefix);
  articles = new ArticleStore(h.db);
  classifier = await loadClassifier(repoFramework());
});
afterAll(async () => {
  await h?.close();
});

/** A working document as the extract stage leaves it, with the language its page declared. */
async function prepare(id: string, title: string, text: string, declared: string | null, flags: string[] = []): Promise<void> {
  const link = `https://news.example/${id}`;
  const item: FeedItem = { guid: id, link, title, publishedAt: '2026-11-20T10:00:00.000Z', summary: '', contentHtml: null, author: null, categories: [], enclosures: [] };
  await work.addSighting({ id, canonicalUrl: link, item, sighting: { feedId: 'feed-1', feedName: 'Feed', link, guid: id, seenAt: '2026-11-20T10:00:00.000Z' } });
  const extracted: ExtractedArticle = {
    text, html: null, title, byline: null, publishedAt: null, modifiedAt: null, lang: declared, siteName: null, canonicalUrl: null,
    leadImage: null, wordCount: text.split(/\s+/).length, method: 'readability', confidence: 0.9, flags, fallbackReason: null,
  };
  await work.setExtracted(id, extracted, { stage: 'extract', at: '2026-11-20T10:00:01.000Z', durationMs: 1, outcome: 'ok' });
}

const enqueue = async (queue: string, payload: unknown): Promise<void> => {
  enqueued.push({ queue, payload });
};
const classify = (id: string) => runClassifyJob(id, { work, enqueue, clock: systemClock, classifier: () => classifier });

/** Takes a prepared article through the real classify and store stages and reads it back from the API. */
async function classifyAndStore(id: string, title: string, text: string, declared: string | null, flags: string[] = []): Promise<Detail> {
  await prepare(id, title, text, declared, flags);
  await classify(id);
  await runStoreJob(id, { work, enqueue, articles, clock: systemClock });
  const res = await h.api({ url: `/api/articles/${id}` });
  expect(res.statusCode).toBe(200);
  return res.json<Detail>();
}

describe('classify stage languages', () => {
  it('records an article in a language the framework does not cover, with no labels and the reason', async () => {
    await prepare('pl-direct', '', POLISH, 'en');
    const result = await classify('pl-direct');
    expect(result.classification.labels).toEqual([]);
    expect(result.classification.unsupported).toEqual({ lang: 'pl', reason: 'language pl (detected) is not one the framework covers: en, uk, ru, de, fr' });
    expect(result.fields).toMatchObject({ lang: 'pl', unsupported: 'language pl (detected) is not one the framework covers: en, uk, ru, de, fr' });

    const detail = await classifyAndStore('pl-1', 'Przywódcy UE zgodzili się na nowy pakiet sankcji wobec Rosji', POLISH, 'en');
    expect(detail.labels).toEqual([]);
    expect(detail.relevance).toBe(0);
    const step = detail.trace.find((t) => t.stage === 'classify');
    expect(step).toMatchObject({ outcome: 'skipped', lang: 'pl', reason: 'language pl (detected) is not one the framework covers: en, uk, ru, de, fr' });
    // The stored language is the one found in the text (the API's ?lang= filters on it), not the page's claim.
    expect(detail.lang).toBe('pl');
    // Stored once and handed on like any other article (its empty labels are its result).
    expect(enqueued.some((e) => e.queue === 'store' && (e.payload as { articleId: string }).articleId === 'pl-1')).toBe(true);
  });

  it('reads a Ukrainian page declared Russian as Ukrainian and says so', async () => {
    const detail = await classifyAndStore('uk-1', 'Посли ЄС затвердили шостий пакет санкцій', UKRAINIAN, 'ru-RU');
    const step = detail.trace.find((t) => t.stage === 'classify');
    expect(step).toMatchObject({ outcome: 'ok', lang: 'uk', reason: 'read as uk; the page declared ru-RU' });
    expect(detail.lang).toBe('uk');
  });

  it('reads an English page as English without a note', async () => {
    const detail = await classifyAndStore('en-1', 'EU adopts sanctions package', ENGLISH, 'en-GB');
    const step = detail.trace.find((t) => t.stage === 'classify');
    expect(step).toEqual(expect.objectContaining({ outcome: 'ok', lang: 'en' }));
    expect(step?.reason).toBeUndefined();
  });

  it('does not take the extractor\'s own guess for a declaration', async () => {
    // tinyld alone reads some English paragraphs as Berber; the extractor flags such a guess 'lang-detected'.
    const detail = await classifyAndStore('en-2', 'EU adopts sanctions package', ENGLISH, 'ber', ['lang-detected']);
    const step = detail.trace.find((t) => t.stage === 'classify');
    expect(step).toEqual(expect.objectContaining({ outcome: 'ok', lang: 'en' }));
    expect(step?.reason).toBeUndefined();
    expect(detail.lang).toBe('en');
  });
});
