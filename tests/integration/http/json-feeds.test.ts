import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArticleStore } from '../../../src/store/article-store.js';
import { migrate } from '../../../src/store/migrate.js';
import { BACKENDS, type TestDb } from '../store/backends.js';
import { label, work } from '../store/work-fixtures.js';
import { auth, buildTestApp, framework, TOKEN } from './build-test-app.js';
import { jsonFeedProblems } from './json-feed-spec.js';

interface Feed {
  title: string;
  feed_url: string;
  next_url?: string;
  items: { id: string; url: string; external_url?: string; tags: string[]; content_text: string; _framewatch: { labels: { id: string; score: number; evidence: unknown[] }[]; feeds: { id: string }[] } }[];
}

describe.each(BACKENDS)('JSON Feeds on $name', (backend) => {
  let t: TestDb;
  let app: FastifyInstance;
  let articles: ArticleStore;
  const sanctions = framework.labels.find((l) => l.id === 'targeted-sanctions')!;
  const cyber = framework.labels.find((l) => l.id === 'cybersecurity')!;

  beforeAll(async () => {
    t = await backend.open('json_feeds');
    await migrate(t.db);
    articles = new ArticleStore(t.db);
    for (let i = 1; i <= 4; i++) {
      const w = work(`jf-${i}`, {
        firstSeenAt: new Date(Date.UTC(2026, 10, i)).toISOString(),
        text: `Ministers agreed sanctions package ${i}. Details follow.`,
        labels: [label(i <= 3 ? sanctions.id : cyber.id, 0.5 + i / 10, i <= 3 ? sanctions.groups : cyber.groups, `Ministers agreed sanctions package ${i}. x`)],
      });
      await articles.saveArticle(w);
    }
    // Seen in a second feed too: the item lists both.
    await articles.saveArticle(work('jf-1', { firstSeenAt: new Date(Date.UTC(2026, 10, 1)).toISOString(), feed: 'feed-2', text: 'Ministers agreed sanctions package 1. Details follow.', labels: [label(sanctions.id, 0.6, sanctions.groups, 'Ministers agreed sanctions package 1. x')] }));
    app = await buildTestApp(articles);
  });
  afterAll(async () => {
    await app?.close();
    await t?.cleanup();
  });

  it('serves a label feed valid against JSON Feed 1.1, with tags and the _framewatch extension', async () => {
    const res = await app.inject({ url: `/feeds/labels/${sanctions.id}.json`, headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/feed\+json/);
    const feed = res.json<Feed>();
    expect(jsonFeedProblems(feed)).toEqual([]);
    expect(feed.title).toContain(sanctions.name);
    expect(feed.feed_url).toBe(`https://framewatch.example/feeds/labels/${sanctions.id}.json`);
    expect(feed.items.map((i) => i.id)).toEqual(['jf-3', 'jf-2', 'jf-1']);
    const first = feed.items[2]!;
    expect(first.tags).toEqual([sanctions.id]);
    expect(first.url).toBe('https://news.example/jf-1');
    expect(first._framewatch.labels[0]).toMatchObject({ id: sanctions.id, score: 0.6, evidence: [{ text: 'Ministers agreed sanctions package 1' }] });
    expect(first._framewatch.feeds.map((f) => f.id)).toEqual(['feed-1', 'feed-2']);
  });

  it('answers 304 to a reader whose copy is current, and the full feed once it changed', async () => {
    const url = `/feeds/labels/${cyber.id}.json`;
    const first = await app.inject({ url, headers: auth });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"/);
    const again = await app.inject({ url, headers: { ...auth, 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    await articles.saveArticle(work('jf-9', { firstSeenAt: new Date(Date.UTC(2026, 10, 9)).toISOString(), labels: [label(cyber.id, 0.9, cyber.groups)] }));
    const changed = await app.inject({ url, headers: { ...auth, 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.json<Feed>().items.map((i) => i.id)).toEqual(['jf-9', 'jf-4']);
  });

  it('serves group and all feeds, and 404 for unknown ones', async () => {
    const group = (await app.inject({ url: `/feeds/groups/${cyber.groups[0]}.json`, headers: auth })).json<Feed>();
    expect(jsonFeedProblems(group)).toEqual([]);
    expect(group.items.map((i) => i.id)).toContain('jf-4');
    const all = (await app.inject({ url: '/feeds/all.json', headers: auth })).json<Feed>();
    expect(jsonFeedProblems(all)).toEqual([]);
    expect(all.items.map((i) => i.id)).toEqual(['jf-9', 'jf-4', 'jf-3', 'jf-2', 'jf-1']);
    expect((await app.inject({ url: '/feeds/labels/nope.json', headers: auth })).statusCode).toBe(404);
    expect((await app.inject({ url: '/feeds/groups/nope.json', headers: auth })).statusCode).toBe(404);
  });

  it('takes the token as ?token= and keeps it on next_url so a reader can follow the pages', async () => {
    expect((await app.inject({ url: '/feeds/all.json' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/feeds/all.json?token=wrong' })).statusCode).toBe(401);
    const ids: string[] = [];
    let url: string | undefined = `/feeds/all.json?token=${TOKEN}&limit=3`;
    while (url) {
      const res: { statusCode: number; json: () => unknown } = await app.inject({ url });
      expect(res.statusCode).toBe(200);
      const feed = res.json() as Feed;
      expect(jsonFeedProblems(feed)).toEqual([]);
      ids.push(...feed.items.map((i) => i.id));
      url = feed.next_url ? feed.next_url.replace('https://framewatch.example', '') : undefined;
      if (url) expect(url).toContain(`token=${TOKEN}`);
    }
    expect(ids).toEqual(['jf-9', 'jf-4', 'jf-3', 'jf-2', 'jf-1']);
  });

  it('drops an article from a label feed once a reviewer rejects the label', async () => {
    await articles.recordReview({ articleId: 'jf-2', verdicts: [{ label: sanctions.id, verdict: 'reject' }] });
    const feed = (await app.inject({ url: `/feeds/labels/${sanctions.id}.json`, headers: auth })).json<Feed>();
    expect(feed.items.map((i) => i.id)).toEqual(['jf-3', 'jf-1']);
  });
});
