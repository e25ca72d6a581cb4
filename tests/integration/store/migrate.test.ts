import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/store/open-database.js';
import { appliedMigrations, DEFAULT_MIGRATIONS_DIR, migrate, MigrationError } from '../../../src/store/migrate.js';
import { BACKENDS, type TestDb } from './backends.js';

describe.each(BACKENDS)('migrate on $name', (backend) => {
  let t: TestDb;
  let dir: string;

  beforeAll(async () => {
    t = await backend.open('migrate');
    dir = await mkdtemp(join(tmpdir(), 'fw-migrations-'));
  });
  afterAll(async () => {
    await t?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('applies the shipped migrations once, in order, and records them', async () => {
    const first = await migrate(t.db);
    expect(first.length).toBeGreaterThanOrEqual(2);
    expect([...first].sort()).toEqual(first);
    expect(await migrate(t.db)).toEqual([]);
    expect(await appliedMigrations(t.db)).toEqual(first);
    const { rows } = await t.db.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
      [],
    );
    expect(rows.map((r) => r.name)).toEqual(
      expect.arrayContaining(['article_labels', 'article_sightings', 'articles', 'classification_history', 'review_verdicts', 'schema_migrations']),
    );
  });

  it('rolls back a failing migration entirely and records nothing for it', async () => {
    await writeFile(join(dir, '001_ok.sql'), 'CREATE TABLE mig_ok (id int);');
    await writeFile(join(dir, '002_bad.sql'), 'CREATE TABLE mig_half (id int);\nSELECT * FROM no_such_table;');
    await expect(migrate(t.db, { dir })).rejects.toThrow(/no_such_table/);
    const { rows } = await t.db.query<{ half: boolean }>("SELECT to_regclass('mig_half') IS NOT NULL AS half", []);
    expect(rows[0]?.half).toBe(false);
    expect(await appliedMigrations(t.db)).toContain('001_ok');
    expect(await appliedMigrations(t.db)).not.toContain('002_bad');
  });

  it('refuses a migration edited after it was applied', async () => {
    await writeFile(join(dir, '002_bad.sql'), 'CREATE TABLE mig_fixed (id int);');
    expect(await migrate(t.db, { dir })).toEqual(['002_bad']);
    await writeFile(join(dir, '001_ok.sql'), 'CREATE TABLE mig_ok (id int, extra text);');
    await expect(migrate(t.db, { dir })).rejects.toBeInstanceOf(MigrationError);
  });

  it('resolves the shipped migrations beside the module', () => {
    expect(DEFAULT_MIGRATIONS_DIR).toMatch(/store\/migrations\/$/);
  });
});

describe('migrate from two processes at once (PostgreSQL)', () => {
  const backend = BACKENDS.find((b) => b.name === 'postgres');
  let t: TestDb;
  beforeAll(async () => {
    t = await backend!.open('migrate_race');
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('applies each migration exactly once when several pools migrate concurrently', async () => {
    const pools = await Promise.all([1, 2, 3].map(() => openDatabase({ url: t.url, dataDir: '' })));
    try {
      const results = await Promise.all(pools.map((db) => migrate(db)));
      const all = results.flat();
      expect(all.length).toBe(new Set(all).size);
      expect([...all].sort()).toEqual(await appliedMigrations(t.db));
    } finally {
      await Promise.all(pools.map((db) => db.close()));
    }
  });
});
