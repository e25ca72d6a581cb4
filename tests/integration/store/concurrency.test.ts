import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArticleStore } from '../../../src/store/article-store.js';
import { migrate } from '../../../src/store/migrate.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { EmbeddedDatabaseBusyError } from '../../../src/store/pglite-db.js';
import { BACKENDS, type TestDb } from './backends.js';
import { label, work } from './work-fixtures.js';

describe.each(BACKENDS)('concurrent saves on $name', (backend) => {
  let t: TestDb;
  let store: ArticleStore;
  beforeAll(async () => {
    t = await backend.open('concurrency');
    await migrate(t.db);
    store = new ArticleStore(t.db);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('stores one article and every sighting when several feeds deliver it at the same moment', async () => {
    const feeds = ['f1', 'f2', 'f3', 'f4', 'f5', 'f6'];
    const results = await Promise.all(feeds.map((feed) => store.saveArticle(work('race', { feed, labels: [label('cybersecurity', 0.7, ['aspects'])] }))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.revision)).size).toBe(1);
    const record = await store.getArticle('race');
    expect(record?.sightings.map((s) => s.feedId).sort()).toEqual(feeds);
    expect(record?.labels).toHaveLength(1);
  });
});

describe('the embedded database', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fw-pglite-persist-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps its data in the data folder across restarts', async () => {
    const first = await openDatabase({ url: null, dataDir: dir });
    // A second opener of the same folder would corrupt it: refused while the first is open.
    await expect(openDatabase({ url: null, dataDir: dir })).rejects.toBeInstanceOf(EmbeddedDatabaseBusyError);
    await migrate(first);
    await new ArticleStore(first).saveArticle(work('kept', { labels: [label('energy-security', 0.5, ['aspects'])] }));
    await first.close();
    // A lock left behind by a process that died is taken over.
    await writeFile(join(dir, 'pglite.lock'), '999999999');

    const second = await openDatabase({ url: null, dataDir: dir });
    try {
      expect(await migrate(second)).toEqual([]);
      const record = await new ArticleStore(second).getArticle('kept');
      expect(record?.labels.map((l) => l.id)).toEqual(['energy-security']);
    } finally {
      await second.close();
    }
  });
});
