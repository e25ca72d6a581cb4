import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArticleStore } from '../../../src/store/article-store.js';
import { migrate } from '../../../src/store/migrate.js';
import { ReviewError } from '../../../src/store/record-review.js';
import { BACKENDS, type TestDb } from './backends.js';
import { label, work } from './work-fixtures.js';

describe.each(BACKENDS)('reviews and stats on $name', (backend) => {
  let t: TestDb;
  let store: ArticleStore;

  beforeAll(async () => {
    t = await backend.open('review_stats');
    await migrate(t.db);
    store = new ArticleStore(t.db);
    const sanctions = label('targeted-sanctions', 0.8, ['policy-focuses']);
    const energy = label('energy-security', 0.6, ['aspects', 'impact-areas']);
    await store.saveArticle(work('r1', { firstSeenAt: '2026-11-01T09:00:00.000Z', labels: [sanctions, energy] }));
    await store.saveArticle(work('r2', { firstSeenAt: '2026-11-01T15:00:00.000Z', labels: [sanctions] }));
    await store.saveArticle(work('r3', { firstSeenAt: '2026-11-02T09:00:00.000Z', labels: [energy] }));
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('counts labels and groups per day', async () => {
    const stats = await store.stats();
    expect(stats.articles).toBe(3);
    expect(stats.days).toEqual([
      { day: '2026-11-01', articles: 2, labels: { 'targeted-sanctions': 2, 'energy-security': 1 }, groups: { 'policy-focuses': 2, aspects: 1, 'impact-areas': 1 } },
      { day: '2026-11-02', articles: 1, labels: { 'energy-security': 1 }, groups: { aspects: 1, 'impact-areas': 1 } },
    ]);
    expect(stats.reviewedShare).toBe(0);
    expect(stats.reviewedArticleShare).toBe(0);
    expect(stats.agreement).toEqual([]);
  });

  it('turns verdicts into review states, reviewed share and per-model agreement', async () => {
    const updated = await store.recordReview({
      articleId: 'r1',
      verdicts: [
        { label: 'targeted-sanctions', verdict: 'confirm' },
        { label: 'energy-security', verdict: 'reject' },
        { label: 'diplomatic-engagement', verdict: 'add', groups: ['policy-focuses'] },
      ],
      note: 'energy is only mentioned in passing',
      reviewer: 'ana',
    });
    expect(updated?.labels.map((l) => [l.id, l.review, l.source])).toEqual([
      ['diplomatic-engagement', 'confirmed', 'reviewer'],
      ['targeted-sanctions', 'confirmed', 'classifier'],
      ['energy-security', 'rejected', 'classifier'],
    ]);
    await store.recordReview({ articleId: 'r2', verdicts: [{ label: 'targeted-sanctions', verdict: 'reject' }], reviewer: 'ben' });
    // A later verdict replaces the earlier one for agreement.
    await store.recordReview({ articleId: 'r2', verdicts: [{ label: 'targeted-sanctions', verdict: 'confirm' }], reviewer: 'ana' });

    const stats = await store.stats();
    expect(stats.agreement).toEqual([
      { label: 'energy-security', model: 'model-a', confirmed: 0, rejected: 1, precision: 0 },
      { label: 'targeted-sanctions', model: 'model-a', confirmed: 2, rejected: 0, precision: 1 },
    ]);
    // 4 labels from the classifier, 3 of them judged; 2 of 3 articles have verdicts.
    expect(stats.reviewedShare).toBeCloseTo(3 / 4);
    expect(stats.reviewedArticleShare).toBeCloseTo(2 / 3);
    // The rejected label no longer counts on its day; the added one does.
    expect(stats.days[0]?.labels).toEqual({ 'targeted-sanctions': 2, 'diplomatic-engagement': 1 });
    expect(stats.labels.find((l) => l.label === 'diplomatic-engagement')).toMatchObject({ articles: 1, added: 1, confirmed: 1 });

    const detail = await store.getArticleDetail('r1');
    expect(detail?.reviews.map((v) => [v.label, v.verdict, v.reviewer, v.note, v.model])).toEqual([
      ['targeted-sanctions', 'confirm', 'ana', 'energy is only mentioned in passing', 'model-a'],
      ['energy-security', 'reject', 'ana', 'energy is only mentioned in passing', 'model-a'],
      ['diplomatic-engagement', 'add', 'ana', 'energy is only mentioned in passing', null],
    ]);
    const latest = await store.latestVerdicts();
    expect(latest.filter((v) => v.articleId === 'r2').map((v) => [v.verdict, v.reviewer])).toEqual([['confirm', 'ana']]);
  });

  it('counts adding a label the article already has as a confirm', async () => {
    await store.saveArticle(work('r4', { firstSeenAt: '2026-11-03T09:00:00.000Z', labels: [label('cybersecurity', 0.7, ['aspects'])] }));
    const record = await store.recordReview({ articleId: 'r4', verdicts: [{ label: 'cybersecurity', verdict: 'add', groups: ['aspects'] }] });
    expect(record?.labels.map((l) => [l.id, l.review, l.source])).toEqual([['cybersecurity', 'confirmed', 'classifier']]);
    expect((await store.getArticleDetail('r4'))?.reviews.map((v) => v.verdict)).toEqual(['confirm']);
    expect((await store.stats({ since: new Date('2026-11-03T00:00:00.000Z') })).agreement).toEqual([
      { label: 'cybersecurity', model: 'model-a', confirmed: 1, rejected: 0, precision: 1 },
    ]);
  });

  it('limits stats to a range', async () => {
    const stats = await store.stats({ since: new Date('2026-11-02T00:00:00.000Z'), until: new Date('2026-11-03T00:00:00.000Z') });
    expect(stats.articles).toBe(1);
    expect(stats.days.map((d) => d.day)).toEqual(['2026-11-02']);
  });

  it('refuses to confirm a label the article does not carry, storing nothing', async () => {
    await expect(store.recordReview({ articleId: 'r3', verdicts: [{ label: 'energy-security', verdict: 'confirm' }, { label: 'cybersecurity', verdict: 'confirm' }] })).rejects.toBeInstanceOf(
      ReviewError,
    );
    const detail = await store.getArticleDetail('r3');
    expect(detail?.reviews).toEqual([]);
    expect(detail?.labels[0]?.review).toBe('unreviewed');
    expect(await store.recordReview({ articleId: 'missing', verdicts: [{ label: 'x', verdict: 'add' }] })).toBeNull();
  });
});
