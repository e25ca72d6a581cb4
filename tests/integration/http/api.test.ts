import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArticleStore } from '../../../src/store/article-store.js';
import { migrate } from '../../../src/store/migrate.js';
import { BACKENDS, type TestDb } from '../store/backends.js';
import { label, work } from '../store/work-fixtures.js';
import { auth, buildTestApp, framework } from './build-test-app.js';

describe.each(BACKENDS)('HTTP API on $name', (backend) => {
  let t: TestDb;
  let app: FastifyInstance;
  let articles: ArticleStore;
  const sanctions = framework.labels.find((l) => l.id === 'targeted-sanctions')!;
  const energy = framework.labels.find((l) => l.id === 'energy-security')!;

  beforeAll(async () => {
    t = await backend.open('http_api');
    await migrate(t.db);
    articles = new ArticleStore(t.db);
    for (let i = 1; i <= 5; i++) {
      await articles.saveArticle(
        work(`art-${i}`, {
          firstSeenAt: new Date(Date.UTC(2026, 10, i, 8)).toISOString(),
          feed: i % 2 ? 'feed-odd' : 'feed-even',
          text: i === 3 ? 'Brussels imposed sanctions on shipping. More follows.' : `Report ${i} on gas storage.`,
          labels: i === 3 ? [label(sanctions.id, 0.9, sanctions.groups, 'Brussels imposed sanctions on shipping. More.', { direction: 'imposed' })] : [label(energy.id, 0.2 + i / 10, energy.groups)],
        }),
      );
    }
    app = await buildTestApp(articles);
  });
  afterAll(async () => {
    await app?.close();
    await t?.cleanup();
  });

  it('refuses /api without the token or with a wrong one, and does not take ?token= there', async () => {
    expect((await app.inject({ url: '/api/articles' })).statusCode).toBe(401);
    const wrong = await app.inject({ url: '/api/articles', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await app.inject({ url: '/api/articles?token=test-token-0123456789' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/articles', headers: auth })).statusCode).toBe(200);
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });

  it('lists with filters and pages with nextCursor', async () => {
    const res = await app.inject({ url: `/api/articles?label=${energy.id}&minScore=0.5&limit=1`, headers: auth });
    expect(res.statusCode).toBe(200);
    const page = res.json<{ items: { id: string; text: string | null }[]; nextCursor: string | null }>();
    expect(page.items.map((a) => a.id)).toEqual(['art-5']);
    expect(page.items[0]?.text).toBeNull();
    expect(page.nextCursor).toEqual(expect.any(String));
    const next = await app.inject({ url: `/api/articles?label=${energy.id}&minScore=0.5&limit=1&cursor=${page.nextCursor}`, headers: auth });
    expect(next.json()).toMatchObject({ items: [{ id: 'art-4' }], nextCursor: null });
    const withContent = await app.inject({ url: '/api/articles?feed=feed-odd&q=sanctions&content=true', headers: auth });
    expect(withContent.json<{ items: { id: string; text: string }[] }>().items.map((a) => [a.id, a.text])).toEqual([['art-3', 'Brussels imposed sanctions on shipping. More follows.']]);
    const both = await app.inject({ url: `/api/articles?label=${energy.id}&label=${sanctions.id}&sort=score`, headers: auth });
    expect(both.json<{ items: { id: string }[] }>().items.map((a) => a.id)).toEqual(['art-3', 'art-5', 'art-4', 'art-2', 'art-1']);
  });

  it('pages through /api/articles returning every article exactly once while new ones are stored', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let n = 0;
    do {
      const url: string = `/api/articles?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = (await app.inject({ url, headers: auth })).json<{ items: { id: string }[]; nextCursor: string | null }>();
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
      n += 1;
      await articles.saveArticle(work(`arrived-${n}`, { firstSeenAt: new Date(Date.UTC(2026, 10, 3, n)).toISOString() }));
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(['art-1', 'art-2', 'art-3', 'art-4', 'art-5']));
    // Later tests count only the original five; the arrivals have no labels, so label filters skip them.
  });

  it.each([
    ['limit=5000', 'limit'],
    ['limit=abc', 'limit'],
    ['lable=x', 'lable'],
    ['since=yesterday', 'since'],
    ['review=maybe', 'review'],
    ['minScore=2', 'minScore'],
    ['sort=random', 'sort'],
    ['cursor=not-a-cursor', 'cursor'],
    ['label=Bad_Label', 'label'],
    // A well-formed id the framework does not have: 400, as /feeds/labels/nope.json is a 404, not an empty list.
    ['label=nope', 'label'],
    ['label=targeted-sanctions&label=nope', 'label'],
    ['group=nope', 'group'],
    ['needsReview=maybe', 'needsReview'],
  ])('answers 400 naming the parameter for %s', async (query, parameter) => {
    const res = await app.inject({ url: `/api/articles?${query}`, headers: auth });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ statusCode: 400, parameter });
    expect(res.json<{ message: string }>().message).toContain(parameter);
  });

  it('returns the whole record with evidence and trace, and 404 for an unknown id', async () => {
    const res = await app.inject({ url: '/api/articles/art-3', headers: auth });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ labels: { id: string; evidence: { text: string }[]; direction: string }[]; trace: { stage: string }[]; sightings: { feedId: string }[]; text: string; reviews: unknown[] }>();
    expect(body.labels[0]).toMatchObject({ id: sanctions.id, direction: 'imposed', evidence: [{ text: 'Brussels imposed sanctions on shipping' }] });
    expect(body.trace.map((e) => e.stage)).toEqual(['poll', 'extract', 'classify']);
    expect(body.sightings).toMatchObject([{ feedId: 'feed-odd' }]);
    expect(body.reviews).toEqual([]);
    const missing = await app.inject({ url: '/api/articles/nope', headers: auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ statusCode: 404 });
  });

  it('stores review verdicts and they change /api/stats', async () => {
    const before = (await app.inject({ url: '/api/stats', headers: auth })).json<{ reviewedShare: number; agreement: unknown[] }>();
    expect(before.reviewedShare).toBe(0);
    expect(before.agreement).toEqual([]);
    const res = await app.inject({
      method: 'POST',
      url: '/api/articles/art-3/review',
      headers: auth,
      payload: { confirm: [sanctions.id], add: ['economic-support'], note: 'clear case', reviewer: 'ana' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ labels: { id: string; review: string; source: string }[] }>().labels.map((l) => [l.id, l.review, l.source])).toEqual([
      ['economic-support', 'confirmed', 'reviewer'],
      [sanctions.id, 'confirmed', 'classifier'],
    ]);
    await app.inject({ method: 'POST', url: '/api/articles/art-1/review', headers: auth, payload: { reject: [energy.id], reviewer: 'ben' } });
    const after = (await app.inject({ url: '/api/stats', headers: auth })).json<{ reviewedShare: number; agreement: { label: string; precision: number }[] }>();
    // Five classifier labels, two of them judged; two of the articles reviewed (the five plus the arrivals).
    expect(after.reviewedShare).toBeCloseTo(2 / 5);
    expect(after.agreement.map((a) => [a.label, a.precision])).toEqual([
      [energy.id, 0],
      [sanctions.id, 1],
    ]);
    const detail = (await app.inject({ url: '/api/articles/art-3', headers: auth })).json<{ reviews: { label: string; verdict: string; reviewer: string; note: string }[] }>();
    expect(detail.reviews.map((r) => [r.label, r.verdict, r.reviewer, r.note])).toEqual([
      [sanctions.id, 'confirm', 'ana', 'clear case'],
      ['economic-support', 'add', 'ana', 'clear case'],
    ]);
  });

  it('answers 400/404 for bad reviews', async () => {
    const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, headers: auth, payload: payload as object });
    expect((await post('/api/articles/art-2/review', { add: ['no-such-label'] })).json()).toMatchObject({ statusCode: 400, parameter: 'add.0' });
    expect((await post('/api/articles/art-2/review', { confirm: [energy.id, sanctions.id] })).json()).toMatchObject({ statusCode: 400, parameter: 'confirm.1' });
    expect((await post('/api/articles/art-2/review', {})).json()).toMatchObject({ statusCode: 400, parameter: 'confirm' });
    expect((await post('/api/articles/art-2/review', { confirm: [energy.id], verdict: 'x' })).json()).toMatchObject({ statusCode: 400, parameter: 'verdict' });
    expect((await post('/api/articles/nope/review', { add: [energy.id] })).statusCode).toBe(404);
  });

  it('serves the framework and its version', async () => {
    const res = await app.inject({ url: '/api/framework', headers: auth });
    expect(res.json()).toMatchObject({ version: framework.version, labels: expect.arrayContaining([expect.objectContaining({ id: sanctions.id })]) });
  });

  it('serves OpenAPI 3 generated from the validating schemas', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json<{ openapi: string; paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: unknown; security?: unknown }>> }>();
    expect(doc.openapi).toMatch(/^3\./);
    const list = doc.paths['/api/articles']?.get;
    expect(list?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['label', 'labelMode', 'group', 'feed', 'since', 'until', 'minScore', 'review', 'direction', 'lang', 'needsReview', 'tagged', 'q', 'sort', 'cursor', 'limit']));
    // The review desk calls the API on a browser session (cookie); other clients use the bearer token.
    expect(list?.security).toEqual([{ bearer: [] }, { session: [] }]);
    expect(doc.paths['/api/articles/{id}']?.get?.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path' })]);
    expect(doc.paths['/api/articles/{id}/review']?.post?.requestBody).toMatchObject({ content: { 'application/json': { schema: { properties: { confirm: {}, reject: {}, add: {} } } } } });
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/stats', '/api/framework', '/feeds/labels/{label}.json', '/feeds/groups/{group}.json', '/feeds/all.json']));
  });
});
