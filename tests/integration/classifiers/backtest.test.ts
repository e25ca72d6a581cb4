import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backtest } from '../../../src/classifiers/backtest.js';
import { loadClassifier } from '../../../src/classifiers/load-classifier.js';
import { reviewedExamples } from '../../../src/classifiers/review-examples.js';
import type { AppliedLabel, ArticleWork, Classifier } from '../../../src/domain/types.js';
import { ArticleStore } from '../../../src/store/article-store.js';
import type { Db } from '../../../src/store/db.js';
import { migrate } from '../../../src/store/migrate.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { createTestDatabase } from '../../helpers/postgres.js';
import { repoFramework } from '../../unit/classifiers/helpers.js';

const RUSSIA = {
  title: 'Treasury Imposes Sweeping Sanctions on Russia',
  text:
    'The U.S. Department of the Treasury today imposed new sanctions on Russia, designating dozens of banks and energy firms ' +
    'that fund the Kremlin’s war against Ukraine. Export controls on Russia were tightened in coordination with G7 partners.',
};
const IRAN = {
  title: 'Treasury Expands Sanctions on Iran’s Oil Sector',
  text: 'Today the United States is expanding sanctions on Iran’s petroleum sector, designating vessels that carry Iranian oil.',
};

function work(id: string, article: { title: string; text: string }, labels: AppliedLabel[]): ArticleWork {
  const at = new Date(Date.now() - 3_600_000).toISOString();
  return {
    id,
    canonicalUrl: `https://news.example/${id}`,
    item: { guid: id, link: `https://news.example/${id}`, title: article.title, publishedAt: at, summary: '', contentHtml: null, author: null, categories: [], enclosures: [] },
    sightings: [{ feedId: 'feed-1', feedName: 'Feed', link: `https://news.example/${id}`, guid: id, seenAt: at }],
    firstSeenAt: at,
    extracted: {
      text: article.text,
      html: null,
      title: article.title,
      byline: null,
      publishedAt: at,
      modifiedAt: null,
      lang: 'en',
      siteName: null,
      canonicalUrl: null,
      leadImage: null,
      wordCount: 40,
      method: 'readability',
      confidence: 0.9,
      flags: [],
      fallbackReason: null,
    },
    classification: { labels, relevance: 0.5, framework: 'fw-old', model: 'm-old' },
    trace: [],
  };
}

describe('backtest and reviewed examples on PostgreSQL', () => {
  let drop: () => Promise<void>;
  let db: Db;
  let store: ArticleStore;
  let classifier: Classifier;
  let sanctionsId: string;

  beforeAll(async () => {
    const t = await createTestDatabase('classifier_backtest');
    drop = t.drop;
    db = await openDatabase({ url: t.url, dataDir: '/nonexistent' });
    await migrate(db);
    store = new ArticleStore(db);
    const framework = repoFramework();
    classifier = await loadClassifier(framework);
    sanctionsId = classifier.classify(RUSSIA).labels.find((l) => l.direction !== undefined)?.id ?? 'missing';
    const wrong: AppliedLabel = { id: sanctionsId, score: 0.9, groups: ['policy-focuses'], evidence: [] };
    await store.saveArticle(work('russia', RUSSIA, []));
    await store.saveArticle(work('iran', IRAN, [wrong]));
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it('reports per label what the current model would gain and lose, without writing', async () => {
    expect(sanctionsId).not.toBe('missing');
    const report = await backtest(store, classifier, { since: new Date(Date.now() - 86_400_000) });
    expect(report.articles).toBe(2);
    const change = report.labels.find((l) => l.label === sanctionsId);
    expect(change?.gained).toBe(1);
    expect(change?.lost).toBe(1);
    expect(change?.examples.map((e) => [e.id, e.change])).toEqual(expect.arrayContaining([['russia', 'gained'], ['iran', 'lost']]));
    expect(report.applied).toBe(0);
    expect((await store.getArticle('iran'))?.labels.map((l) => l.id)).toEqual([sanctionsId]);
  });

  it('with apply writes the new classification and keeps the old one in history', async () => {
    const report = await backtest(store, classifier, { apply: true });
    expect(report.applied).toBe(2);
    const iran = await store.getArticleDetail('iran');
    expect(iran?.labels).toEqual([]);
    expect(iran?.model).toBe(classifier.model);
    expect(iran?.framework).toBe(classifier.framework);
    expect((iran?.history[0]?.labels as { id: string }[]).map((l) => l.id)).toEqual([sanctionsId]);
    const russia = await store.getArticle('russia');
    expect(russia?.labels.map((l) => l.id)).toContain(sanctionsId);
    const again = await backtest(store, classifier, { apply: true });
    expect(again.changed).toBe(0);
    expect(again.applied).toBe(0);
  });

  it('turns reviewed articles into training examples without the rejected labels', async () => {
    const russia = await store.getArticle('russia');
    const [first, ...rest] = russia?.labels.map((l) => l.id) ?? [];
    expect(first).toBeDefined();
    await store.recordReview({ articleId: 'russia', verdicts: [{ label: first!, verdict: 'reject' }] });
    await store.recordReview({ articleId: 'iran', verdicts: [{ label: 'cybersecurity', verdict: 'add', groups: ['aspects'] }] });
    const examples = await reviewedExamples(store);
    const byId = new Map(examples.map((e) => [e.id, e]));
    expect(byId.get('review:russia')?.labels.sort()).toEqual([...rest].sort());
    expect(byId.get('review:russia')?.text).toBe(RUSSIA.text);
    expect(byId.get('review:iran')?.labels).toEqual(['cybersecurity']);
  });
});
