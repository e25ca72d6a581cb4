import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/domain/types.js';
import { ArticleStore } from '../../../src/store/article-store.js';
import { migrate } from '../../../src/store/migrate.js';
import { storeArticle } from '../../../src/pipeline/store.js';
import { BACKENDS, type TestDb } from './backends.js';
import { classification, label, work } from './work-fixtures.js';

const fixedClock = (iso: string): Clock => ({ now: () => new Date(iso) });

describe.each(BACKENDS)('ArticleStore on $name', (backend) => {
  let t: TestDb;
  let store: ArticleStore;

  beforeAll(async () => {
    t = await backend.open('article_store');
    await migrate(t.db);
    store = new ArticleStore(t.db, fixedClock('2026-11-24T12:00:00.000Z'));
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('stores an article saved twice once, and says which save created it', async () => {
    const w = work('same-1', { labels: [label('targeted-sanctions', 0.7, ['policy-focuses'], 'Sanctions were imposed. More.')] });
    const first = await store.saveArticle(w);
    const second = await store.saveArticle(w);
    expect(first.created).toBe(true);
    expect(first.labelsChanged).toBe(true);
    expect(second).toEqual({ created: false, labelsChanged: false, revision: first.revision });
    const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM articles WHERE id = $1', ['same-1']);
    expect(rows[0]?.n).toBe(1);
    const record = await store.getArticle('same-1');
    expect(record?.labels.map((l) => [l.id, l.score, l.review, l.source])).toEqual([['targeted-sanctions', 0.7, 'unreviewed', 'classifier']]);
    expect(record?.labels[0]?.evidence[0]).toEqual({ text: 'Sanctions were imposed', start: 0, end: 22, field: 'text', terms: ['targeted'] });
    expect(record?.extraction).toEqual({ method: 'readability', confidence: 0.9, flags: [], fallbackReason: null });
    expect(record?.trace.map((e) => e.stage)).toEqual(['poll', 'extract', 'classify']);
  });

  it('reads an article without its HTML when asked, the text and labels still there', async () => {
    const w = work('no-html', { labels: [label('targeted-sanctions', 0.7, ['policy-focuses'], 'Sanctions were imposed. More.')] });
    await store.saveArticle(w);
    const full = await store.getArticle('no-html');
    const light = await store.getArticle('no-html', { html: false });
    expect(full?.html).toBeTruthy();
    expect(light?.html).toBeNull();
    expect({ ...light, html: full?.html }).toEqual(full);
  });

  it('records one sighting per feed for an article seen in two feeds', async () => {
    await store.saveArticle(work('two-feeds', { feed: 'feed-a', firstSeenAt: '2026-11-20T10:00:00.000Z' }));
    await store.saveArticle(work('two-feeds', { feed: 'feed-b', firstSeenAt: '2026-11-20T11:00:00.000Z' }));
    const record = await store.getArticle('two-feeds');
    expect(record?.sightings.map((s) => [s.feedId, s.feedName, s.link])).toEqual([
      ['feed-a', 'Feed feed-a', 'https://news.example/two-feeds?from=feed-a'],
      ['feed-b', 'Feed feed-b', 'https://news.example/two-feeds?from=feed-b'],
    ]);
    // First seen stays the earliest sighting's time.
    expect(record?.firstSeenAt).toBe('2026-11-20T10:00:00.000Z');
  });

  it('updates the stored item when the same guid is republished with edits, keeping the old labels in history', async () => {
    const before = await store.saveArticle(work('edited', { title: 'First title', labels: [label('energy-security', 0.5, ['aspects', 'impact-areas'])] }));
    const after = await store.saveArticle(
      work('edited', { title: 'Corrected title', text: 'New text on military drills.', labels: [label('military-posture', 0.6, ['impact-areas'])] }),
    );
    expect(after.created).toBe(false);
    expect(after.labelsChanged).toBe(true);
    expect(after.revision).not.toBe(before.revision);
    const detail = await store.getArticleDetail('edited');
    expect(detail?.title).toBe('Corrected title');
    expect(detail?.text).toBe('New text on military drills.');
    expect(detail?.labels.map((l) => l.id)).toEqual(['military-posture']);
    expect(detail?.history).toHaveLength(1);
    expect(detail?.history[0]?.reason).toBe('update');
    expect((detail?.history[0]?.labels as { id: string }[]).map((l) => l.id)).toEqual(['energy-security']);
  });

  it('keeps extraction and labels when a save carries neither (article still in flight)', async () => {
    const full = work('inflight', { labels: [label('cybersecurity', 0.9, ['aspects'])] });
    const saved = await store.saveArticle(full);
    const partial = { ...full, extracted: undefined, classification: undefined, trace: full.trace.slice(0, 1) };
    const again = await store.saveArticle(partial);
    expect(again).toEqual({ created: false, labelsChanged: false, revision: saved.revision });
    const record = await store.getArticle('inflight');
    expect(record?.text).toBe(full.extracted?.text);
    expect(record?.labels.map((l) => l.id)).toEqual(['cybersecurity']);
    expect(record?.trace).toHaveLength(1);
  });

  it('stores an article that has not been extracted yet with what exists', async () => {
    const bare = { ...work('bare'), extracted: undefined, classification: undefined };
    const result = await store.saveArticle(bare);
    expect(result.created).toBe(true);
    expect(result.labelsChanged).toBe(false);
    const record = await store.getArticle('bare');
    expect(record).toMatchObject({ text: null, extraction: null, labels: [], summary: 'Summary of bare', fetchedAt: null });
  });

  it('appends the store stage to the trace', async () => {
    const w = work('traced');
    const result = await storeArticle(w, { articles: store, clock: fixedClock('2026-11-24T12:00:00.000Z') });
    expect(result.created).toBe(true);
    const record = await store.getArticle('traced');
    expect(record?.trace.at(-1)).toEqual({ stage: 'store', at: '2026-11-24T12:00:00.000Z', durationMs: 0, outcome: 'ok', reason: 'created' });
  });

  it('stores text containing NUL characters, keeping evidence offsets exact', async () => {
    const text = 'Header\u0000junk. Gas flows to Europe were cut today.';
    const start = text.indexOf('Gas');
    const end = text.indexOf(' today');
    const w = work('nul', { text, title: 'Cut\u0000off', labels: [label('energy-security', 0.6, ['aspects'])] });
    w.classification!.labels[0]!.evidence = [{ text: text.slice(start, end), start, end, field: 'text', terms: ['gas\u0000'] }];
    await store.saveArticle(w);
    const record = await store.getArticle('nul');
    expect(record?.text).toBe('Header\uFFFDjunk. Gas flows to Europe were cut today.');
    expect(record?.title).toBe('Cut\uFFFDoff');
    const ev = record?.labels[0]?.evidence[0];
    expect(record?.text?.slice(ev?.start, ev?.end)).toBe(ev?.text);
    expect(ev?.terms).toEqual(['gas\uFFFD']);
  });

  it('returns null for an unknown id', async () => {
    expect(await store.getArticle('nope')).toBeNull();
    expect(await store.getArticleDetail('nope')).toBeNull();
  });

  it('replaces a classification keeping the previous labels in history, and keeps reviewer-added labels', async () => {
    await store.saveArticle(work('backtest', { labels: [label('economic-support', 0.4, ['policy-focuses'])] }));
    await store.recordReview({ articleId: 'backtest', verdicts: [{ label: 'diplomatic-engagement', verdict: 'add', groups: ['policy-focuses'] }], reviewer: 'ana' });
    const result = await store.replaceClassification('backtest', classification([label('economic-support', 0.8, ['policy-focuses'])], 'model-b'), 'backtest');
    expect(result?.labelsChanged).toBe(true);
    const detail = await store.getArticleDetail('backtest');
    expect(detail?.model).toBe('model-b');
    expect(detail?.labels.map((l) => [l.id, l.score, l.source])).toEqual([
      ['diplomatic-engagement', 1, 'reviewer'],
      ['economic-support', 0.8, 'classifier'],
    ]);
    expect(detail?.history.map((h) => [h.reason, h.model])).toEqual([['backtest', 'model-a']]);
    expect(await store.replaceClassification('missing', classification([]), 'backtest')).toBeNull();
  });

  it('drops text and html after retention but keeps labels and metadata', async () => {
    await store.saveArticle(work('old', { firstSeenAt: '2025-01-01T00:00:00.000Z', labels: [label('cybersecurity', 0.9, ['aspects'])] }));
    await store.saveArticle(work('young', { firstSeenAt: '2026-11-23T00:00:00.000Z' }));
    const { cleared } = await store.applyRetention(new Date('2025-06-01T00:00:00.000Z'));
    expect(cleared).toBe(1);
    const old = await store.getArticle('old');
    expect(old).toMatchObject({ text: null, html: null, title: 'Title old' });
    expect(old?.labels.map((l) => l.id)).toEqual(['cybersecurity']);
    expect((await store.getArticle('young'))?.text).not.toBeNull();
    expect((await store.applyRetention(new Date('2025-06-01T00:00:00.000Z'))).cleared).toBe(0);
  });
});
