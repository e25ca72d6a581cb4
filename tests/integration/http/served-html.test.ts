import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArticleStore } from '../../../src/store/article-store.js';
import { migrate } from '../../../src/store/migrate.js';
import { executableParts, XSS_VECTORS } from '../../security/xss-vectors.js';
import { BACKENDS, type TestDb } from '../store/backends.js';
import { label, work } from '../store/work-fixtures.js';
import { auth, buildTestApp } from './build-test-app.js';

// A row stored before the extract stage sanitised: its HTML holds every vector as it came.
const RAW_HTML = `<p>Ministers agreed new sanctions.</p>${XSS_VECTORS.map((v) => v.html).join('\n')}`;

describe('HTML stored before sanitising is served sanitised', () => {
  let t: TestDb;
  let app: FastifyInstance;

  beforeAll(async () => {
    t = await BACKENDS[0]!.open('served_html');
    await migrate(t.db);
    const articles = new ArticleStore(t.db);
    const w = work('old-row', { labels: [label('targeted-sanctions', 0.9, ['policy-focuses'], 'Ministers agreed new sanctions. More.')] });
    w.extracted = { ...w.extracted!, html: RAW_HTML };
    await articles.saveArticle(w);
    app = await buildTestApp(articles);
  });
  afterAll(async () => {
    await app?.close();
    await t?.cleanup();
  });

  it('the stored row is as hostile as it was written', async () => {
    const { rows } = await t.db.query<{ html: string }>('SELECT html FROM articles WHERE id = $1', ['old-row']);
    expect(executableParts(rows[0]?.html ?? '').length).toBeGreaterThan(10);
  });

  it('GET /api/articles/:id serves html without anything executable', async () => {
    const res = await app.inject({ url: '/api/articles/old-row', headers: auth });
    const html = res.json<{ html: string }>().html;
    expect(html).toContain('Ministers agreed new sanctions.');
    expect(executableParts(html)).toEqual([]);
  });

  it('GET /api/articles?content=true serves html without anything executable', async () => {
    const res = await app.inject({ url: '/api/articles?content=true', headers: auth });
    const [item] = res.json<{ items: { html: string }[] }>().items;
    expect(executableParts(item?.html ?? '<script></script>')).toEqual([]);
  });

  it('JSON Feed content_html has nothing executable', async () => {
    const res = await app.inject({ url: '/feeds/all.json', headers: auth });
    const [item] = res.json<{ items: { content_html: string }[] }>().items;
    expect(item?.content_html).toContain('Ministers agreed new sanctions.');
    expect(executableParts(item?.content_html ?? '')).toEqual([]);
  });
});
