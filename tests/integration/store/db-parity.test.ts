import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, type TestDb } from './backends.js';

/** The two Db implementations must answer the same SQL the same way, or the store behaves differently. */
describe.each(BACKENDS)('Db on $name', (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await backend.open('db_parity');
    await t.db.query('CREATE TABLE parity (id int PRIMARY KEY, tags text[], doc jsonb, at timestamptz, score float8)');
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('counts rows like pg: returned by SELECT, changed by INSERT/UPDATE', async () => {
    const ins = await t.db.query('INSERT INTO parity (id) VALUES (1), (2), (3)', []);
    expect(ins.rowCount).toBe(3);
    expect((await t.db.query('SELECT id FROM parity WHERE id > $1', [1])).rowCount).toBe(2);
    expect((await t.db.query('UPDATE parity SET score = 0.5 WHERE id <= $1', [2])).rowCount).toBe(2);
    expect((await t.db.query('SELECT id FROM parity WHERE id > $1', [10])).rowCount).toBe(0);
  });

  it('round-trips arrays, jsonb, timestamps and floats to the same JS values', async () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    await t.db.query('UPDATE parity SET tags = $2::text[], doc = $3::text::jsonb, at = $4, score = $5 WHERE id = $1', [
      1,
      ['a', 'b c', 'd"e'],
      JSON.stringify({ k: [1, 'x'] }),
      at,
      0.1 + 0.2,
    ]);
    const { rows } = await t.db.query<{ tags: string[]; doc: unknown; at: Date; score: number; n: number }>(
      'SELECT tags, doc, at, score, count(*) OVER ()::int AS n FROM parity WHERE id = $1',
      [1],
    );
    expect(rows[0]).toEqual({ tags: ['a', 'b c', 'd"e'], doc: { k: [1, 'x'] }, at, score: 0.1 + 0.2, n: 1 });
  });

  it('rolls a failed transaction back, and a failed nested one back to its savepoint', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query('INSERT INTO parity (id) VALUES ($1)', [10]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await t.db.transaction(async (tx) => {
      await tx.query('INSERT INTO parity (id) VALUES ($1)', [11]);
      await expect(tx.transaction(async (inner) => inner.query('INSERT INTO parity (id) VALUES ($1)', [11]))).rejects.toThrow();
      await tx.query('INSERT INTO parity (id) VALUES ($1)', [12]);
    });
    const { rows } = await t.db.query<{ id: number }>('SELECT id FROM parity WHERE id >= 10 ORDER BY id', []);
    expect(rows.map((r) => r.id)).toEqual([11, 12]);
  });

  it('runs several statements in one call without parameters (migrations)', async () => {
    const r = await t.db.query<{ v: number }>('CREATE TABLE parity2 (v int); INSERT INTO parity2 VALUES (7); SELECT v FROM parity2');
    expect(r.rows).toEqual([{ v: 7 }]);
    await t.db.ping();
  });
});
