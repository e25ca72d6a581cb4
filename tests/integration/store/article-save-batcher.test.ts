import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/domain/types.js';
import { storeArticle } from '../../../src/pipeline/store.js';
import { ArticleSaveBatcher } from '../../../src/store/article-save-batcher.js';
import { ArticleStore } from '../../../src/store/article-store.js';
import type { Db } from '../../../src/store/db.js';
import { migrate } from '../../../src/store/migrate.js';
import { BACKENDS, type TestDb } from './backends.js';
import { label, work } from './work-fixtures.js';

const clock: Clock = { now: () => new Date('2026-11-24T12:00:00.000Z') };

/** The test's database, counting the transactions opened on it (a commit each). */
class CountingDb implements Db {
  transactions = 0;
  constructor(private readonly db: Db) {}
  query<R extends object>(sql: string, params?: unknown[]) {
    return this.db.query<R>(sql, params);
  }
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    this.transactions++;
    return this.db.transaction(fn);
  }
  ping() {
    return this.db.ping();
  }
  close() {
    return this.db.close();
  }
}

describe.each(BACKENDS)('ArticleSaveBatcher (group commit) on $name', (backend) => {
  let t: TestDb;
  let db: CountingDb;
  let store: ArticleStore;
  let batcher: ArticleSaveBatcher;

  beforeAll(async () => {
    t = await backend.open('save_batcher');
    await migrate(t.db);
    db = new CountingDb(t.db);
    store = new ArticleStore(db, clock);
    batcher = new ArticleSaveBatcher(store, { maxBatch: 8, maxInFlight: 1 });
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('commits concurrent saves together and gives each its own result and trace', async () => {
    const works = Array.from({ length: 12 }, (_, i) => work(`batch-${i}`, { labels: i % 2 ? [label('targeted-sanctions', 0.7, ['policy-focuses'], 'Sanctions were imposed.')] : [] }));
    const before = db.transactions;
    const results = await Promise.all(works.map((w) => storeArticle(w, { articles: batcher, clock })));
    // 1 at once, then the 11 that waited meanwhile in batches of at most 8: 3 commits for 12 articles.
    expect(db.transactions - before).toBe(3);
    const alone = await Promise.all(works.map((w) => new ArticleStore(t.db, clock).getArticle(w.id)));
    results.forEach((r, i) => {
      expect(r.created).toBe(true);
      expect(r.labelsChanged).toBe(true);
      expect(alone[i]?.labels.map((l) => l.id)).toEqual(i % 2 ? ['targeted-sanctions'] : []);
      expect(alone[i]?.trace.map((e) => `${e.stage}:${e.reason ?? ''}`)).toEqual(['poll:', 'extract:', 'classify:', 'store:created']);
    });
    expect(new Set(results.map((r) => r.revision)).size).toBe(2);
  });

  it('is idempotent: the same saves again (twice in one batch, too) leave one row each with one store entry', async () => {
    const works = Array.from({ length: 5 }, (_, i) => work(`again-${i}`));
    await Promise.all(works.map((w) => storeArticle(w, { articles: batcher, clock })));
    const again = await Promise.all([...works, ...works].map((w) => storeArticle(w, { articles: batcher, clock })));
    expect(again.every((r) => !r.created && !r.labelsChanged)).toBe(true);
    const { rows } = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM articles WHERE id LIKE 'again-%'");
    expect(rows[0]?.n).toBe(5);
    const record = await store.getArticle('again-3');
    expect(record?.trace.filter((e) => e.stage === 'store').map((e) => e.reason)).toEqual(['updated']);
    expect(record?.sightings).toHaveLength(1);
  });

  it('keeps every field of every label and every feed of a save (one statement each for labels and sightings)', async () => {
    const evidence = [{ text: 'Sanctions were imposed', start: 0, end: 22, field: 'text' as const, terms: ['sanctions'] }];
    const labels = [
      { ...label('targeted-sanctions', 0.8, ['policy-focuses', 'aspects'], 'Sanctions were imposed. More.'), features: ['sanction', 'asset freez'], direction: 'imposed' as const, directionEvidence: evidence },
      label('energy', 0.4, ['impact-areas'], 'Sanctions were imposed. More.'),
    ];
    const w = work('fields-1', { labels });
    w.sightings.push({ feedId: 'feed-2', feedName: 'Feed 2', link: 'https://news.example/fields-1?from=2', guid: 'g2', seenAt: '2026-11-20T11:00:00.000Z' });
    await storeArticle(w, { articles: batcher, clock });
    const record = await store.getArticle('fields-1');
    const byId = new Map(record?.labels.map((l) => [l.id, l]));
    expect(byId.get('targeted-sanctions')).toMatchObject({ score: 0.8, groups: ['policy-focuses', 'aspects'], features: ['sanction', 'asset freez'], direction: 'imposed', directionEvidence: evidence });
    expect(byId.get('energy')).toMatchObject({ score: 0.4, groups: ['impact-areas'] });
    expect(byId.get('energy')).not.toHaveProperty('direction');
    expect(byId.get('energy')).not.toHaveProperty('features');
    expect(record?.sightings.map((s) => s.feedId).sort()).toEqual(['feed-1', 'feed-2']);
    // A later classification without one of them drops it and updates the other.
    await storeArticle(work('fields-1', { labels: [label('energy', 0.6, ['impact-areas'], 'Sanctions were imposed. More.')] }), { articles: batcher, clock });
    expect((await store.getArticle('fields-1'))?.labels.map((l) => [l.id, l.score])).toEqual([['energy', 0.6]]);
  });

  it('fails only the save that cannot be stored; the others of its batch are committed', async () => {
    const good = Array.from({ length: 4 }, (_, i) => work(`good-${i}`));
    // canonical_url is NOT NULL: this row cannot be written, whatever the batch.
    const bad = { ...work('bad-1'), canonicalUrl: null as unknown as string };
    const outcomes = await Promise.allSettled([...good, bad].map((w) => storeArticle(w, { articles: batcher, clock })));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    const { rows } = await t.db.query<{ id: string }>("SELECT id FROM articles WHERE id LIKE 'good-%' OR id = 'bad-1' ORDER BY id");
    expect(rows.map((r) => r.id)).toEqual(['good-0', 'good-1', 'good-2', 'good-3']);
  });
});
