import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArticleStore, type ArticleQuery } from '../../../src/store/article-store.js';
import { InvalidCursorError } from '../../../src/store/cursor.js';
import { migrate } from '../../../src/store/migrate.js';
import { BACKENDS, type TestDb } from './backends.js';
import { label, work } from './work-fixtures.js';

const day = (d: number, h = 12): string => new Date(Date.UTC(2026, 10, d, h)).toISOString();

describe.each(BACKENDS)('listing articles on $name', (backend) => {
  let t: TestDb;
  let store: ArticleStore;
  const ids = async (query: ArticleQuery): Promise<string[]> => (await store.listArticles(query)).items.map((a) => a.id);

  beforeAll(async () => {
    t = await backend.open('list_articles');
    await migrate(t.db);
    store = new ArticleStore(t.db);
    await store.saveArticle(
      work('a1', {
        firstSeenAt: day(1),
        feed: 'f-gov',
        text: 'The EU imposed new sanctions on Russian banks. The measures target exports.',
        labels: [
          label('targeted-sanctions', 0.9, ['policy-focuses'], 'The EU imposed new sanctions.', { direction: 'imposed' }),
          label('economic-engagement', 0.3, ['aspects']),
        ],
      }),
    );
    await store.saveArticle(
      work('a2', {
        firstSeenAt: day(2),
        feed: 'f-news',
        text: 'Gas pipeline flows to Europe fell sharply as winter began.',
        labels: [label('energy-security', 0.6, ['aspects', 'impact-areas']), label('targeted-sanctions', 0.4, ['policy-focuses'], '', { direction: 'eased' })],
      }),
    );
    await store.saveArticle(work('a3', { firstSeenAt: day(3), feed: 'f-news', lang: 'de', text: 'Cyberangriffe auf Energienetze nehmen zu.', labels: [label('cybersecurity', 0.7, ['aspects'])] }));
    const a4 = work('a4', { firstSeenAt: day(4), feed: 'f-gov', text: 'Ministers met to discuss the weather.' });
    a4.extracted = { ...a4.extracted!, confidence: 0.2, flags: ['low-confidence'] };
    await store.saveArticle(a4);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('lists newest first by default', async () => {
    expect(await ids({})).toEqual(['a4', 'a3', 'a2', 'a1']);
  });

  it('filters by label (any and all), group, feed, lang and time range', async () => {
    expect(await ids({ labels: ['targeted-sanctions'] })).toEqual(['a2', 'a1']);
    expect(await ids({ labels: ['cybersecurity', 'energy-security'] })).toEqual(['a3', 'a2']);
    expect(await ids({ labels: ['energy-security', 'targeted-sanctions'], labelMode: 'all' })).toEqual(['a2']);
    expect(await ids({ labels: ['energy-security', 'cybersecurity'], labelMode: 'all' })).toEqual([]);
    expect(await ids({ groups: ['impact-areas'] })).toEqual(['a2']);
    expect(await ids({ feeds: ['f-gov'] })).toEqual(['a4', 'a1']);
    expect(await ids({ feeds: ['Feed f-news'] })).toEqual(['a3', 'a2']);
    expect(await ids({ lang: ['de'] })).toEqual(['a3']);
    expect(await ids({ since: new Date(day(2, 0)), until: new Date(day(4, 0)) })).toEqual(['a3', 'a2']);
  });

  it('filters articles flagged for review', async () => {
    expect(await ids({ needsReview: true })).toEqual(['a4']);
    expect(await ids({ needsReview: false })).toEqual(['a3', 'a2', 'a1']);
  });

  it('lists tagged articles, or untagged ones, whatever else is asked', async () => {
    expect(await ids({ tagged: true })).toEqual(['a3', 'a2', 'a1']);
    expect(await ids({ tagged: false })).toEqual(['a4']);
    expect(await ids({ tagged: true, labels: ['cybersecurity'] })).toEqual(['a3']);
    expect(await ids({ tagged: true, needsReview: true })).toEqual([]);
  });

  it('applies minScore and direction to the same label row as the label filter', async () => {
    expect(await ids({ labels: ['targeted-sanctions'], minScore: 0.5 })).toEqual(['a1']);
    expect(await ids({ minScore: 0.65 })).toEqual(['a3', 'a1']);
    expect(await ids({ direction: ['eased'] })).toEqual(['a2']);
    expect(await ids({ labels: ['energy-security'], direction: ['imposed'] })).toEqual([]);
  });

  it('searches title and text with stemming', async () => {
    expect(await ids({ q: 'sanction' })).toEqual(['a1']);
    expect(await ids({ q: 'pipeline OR weather' })).toEqual(['a4', 'a2']);
    expect(await ids({ q: '"Title a3"' })).toEqual(['a3']);
  });

  it('sorts by score of the labels asked about', async () => {
    expect(await ids({ sort: 'score' })).toEqual(['a1', 'a3', 'a2', 'a4']);
    expect(await ids({ sort: 'score', labels: ['targeted-sanctions'] })).toEqual(['a1', 'a2']);
  });

  it('filters by review state after verdicts', async () => {
    await store.recordReview({ articleId: 'a2', verdicts: [{ label: 'energy-security', verdict: 'confirm' }], reviewer: 'ana' });
    expect(await ids({ review: ['confirmed'] })).toEqual(['a2']);
    expect(await ids({ labels: ['energy-security'], review: ['unreviewed'] })).toEqual([]);
    expect(await ids({ labels: ['targeted-sanctions'], review: ['unreviewed'] })).toEqual(['a2', 'a1']);
  });

  it('leaves text and html out when asked, and counts matches', async () => {
    const page = await store.listArticles({ includeContent: false, limit: 1 });
    expect(page.items[0]).toMatchObject({ id: 'a4', text: null, html: null });
    expect(await store.countArticles({ feeds: ['f-news'] })).toBe(2);
  });

  it('rejects a cursor it did not make, or one from another sort', async () => {
    await expect(store.listArticles({ cursor: 'garbage' })).rejects.toBeInstanceOf(InvalidCursorError);
    const page = await store.listArticles({ limit: 1 });
    await expect(store.listArticles({ cursor: page.nextCursor, sort: 'score' })).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it.each(['time', 'score'] as const)('pages by %s returning every article exactly once while new articles arrive', async (sort) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let n = 0;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = await store.listArticles({ sort, limit: 2, cursor });
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
      // New articles keep arriving between pages: newer ones and ones whose feed dates them in the past.
      n += 1;
      await store.saveArticle(work(`${sort}-new-${n}`, { firstSeenAt: new Date(Date.UTC(2026, 10, 30, n)).toISOString(), labels: [label('cybersecurity', 0.99, ['aspects'])] }));
      await store.saveArticle(work(`${sort}-late-${n}`, { firstSeenAt: day(5), publishedAt: day(1, 6), labels: [label('cybersecurity', 0.1, ['aspects'])] }));
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of ['a1', 'a2', 'a3', 'a4']) expect(seen).toContain(id);
  });

  it('streams every match in order in pages', async () => {
    const all = await store.countArticles({});
    const streamed: string[] = [];
    for await (const a of store.streamArticles({ limit: 1 })) streamed.push(a.id);
    expect(streamed).toHaveLength(all);
    expect(new Set(streamed).size).toBe(all);
  });
});
