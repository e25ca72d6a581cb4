import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleSighting, ExtractedArticle, FeedItem } from '../../../src/domain/types.js';
import { MissingWorkError, RedisWorkStore } from '../../../src/queues/work-store.js';
import { TEST_REDIS_URL, testRedisPrefix } from '../../helpers/redis.js';

const { prefix, cleanup } = testRedisPrefix('work-store');
let redis: Redis;
let store: RedisWorkStore;

const item: FeedItem = {
  guid: 'g-1',
  link: 'https://news.example/a',
  title: 'Sanctions on Russia eased',
  publishedAt: '2025-01-01T00:00:00.000Z',
  summary: 'summary',
  contentHtml: null,
  author: null,
  categories: [],
  enclosures: [],
};
const trace = { stage: 'extract', at: '2025-01-01T00:00:00.000Z', durationMs: 1, outcome: 'ok' } as const;
const extracted = (over: Partial<ExtractedArticle>): ExtractedArticle => ({
  text: 'body', html: null, title: 't', byline: null, publishedAt: null, modifiedAt: null, lang: 'en', siteName: null,
  canonicalUrl: null, leadImage: null, wordCount: 1, method: 'feed-summary', confidence: 0.2, flags: ['fetch-failed'], fallbackReason: 'HTTP 404',
  ...over,
});
const sighting = (feedId: string, seenAt: string): ArticleSighting => ({ feedId, feedName: feedId, link: item.link, guid: item.guid, seenAt });

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
  store = new RedisWorkStore(redis, prefix);
});
afterAll(async () => {
  redis.disconnect();
  await cleanup();
});

describe('RedisWorkStore', () => {
  it('creates a document once and records every feed that saw the article', async () => {
    const first = await store.addSighting({ id: 'a1', canonicalUrl: 'https://news.example/a', item, sighting: sighting('feed-a', '2025-01-01T00:00:01.000Z') });
    const again = await store.addSighting({ id: 'a1', canonicalUrl: 'https://news.example/a', item, sighting: sighting('feed-a', '2025-01-01T00:00:05.000Z') });
    const second = await store.addSighting({ id: 'a1', canonicalUrl: 'https://news.example/a', item, sighting: sighting('feed-b', '2025-01-01T00:00:02.000Z') });
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(second.created).toBe(false);
    expect([first.sightings, again.sightings, second.sightings]).toEqual([1, 1, 2]);
    const work = await store.get('a1');
    expect(work?.sightings.map((s) => s.feedId)).toEqual(['feed-a', 'feed-b']);
    expect(work?.sightings[0]?.seenAt).toBe('2025-01-01T00:00:01.000Z');
    expect(work?.firstSeenAt).toBe('2025-01-01T00:00:01.000Z');
  });

  it('keeps concurrent sightings from many pollers', async () => {
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        store.addSighting({ id: 'a2', canonicalUrl: 'https://news.example/b', item, sighting: sighting(`feed-${i}`, new Date(1_700_000_000_000 + i).toISOString()) }),
      ),
    );
    const work = await store.get('a2');
    expect(work?.sightings).toHaveLength(25);
  });

  it('sets stage results and appends the trace in order', async () => {
    await store.addSighting({ id: 'a3', canonicalUrl: 'https://news.example/c', item, sighting: sighting('feed-a', '2025-01-01T00:00:00.000Z') });
    await store.setExtracted('a3', extracted({ html: '<p>body</p>' }), { stage: 'extract', at: '2025-01-01T00:00:00.000Z', durationMs: 3, outcome: 'fallback', reason: 'HTTP 404' });
    await store.setClassification('a3', { labels: [], relevance: 0.1, framework: 'fw-1', model: 'm-1' }, { stage: 'classify', at: '2025-01-01T00:00:01.000Z', durationMs: 1, outcome: 'ok' });
    const work = await store.get('a3');
    expect(work?.extracted?.method).toBe('feed-summary');
    expect(work?.extracted?.html).toBe('<p>body</p>');
    expect(work?.classification?.model).toBe('m-1');
    expect(work?.trace.map((t) => t.stage)).toEqual(['extract', 'classify']);
  });

  it('gives classify the text without the HTML, and counts the sightings', async () => {
    await store.addSighting({ id: 'a5', canonicalUrl: 'https://news.example/e', item, sighting: sighting('feed-a', '2025-01-01T00:00:00.000Z') });
    await store.addSighting({ id: 'a5', canonicalUrl: 'https://news.example/e', item, sighting: sighting('feed-b', '2025-01-01T00:00:01.000Z') });
    expect((await store.getText('a5'))?.extracted).toBeNull();
    await store.setExtracted('a5', extracted({ text: 'the text', html: '<p>the text</p>' }), trace);
    const text = await store.getText('a5');
    expect(text).toMatchObject({ id: 'a5', item: { title: item.title }, sightings: 2, extracted: { text: 'the text', method: 'feed-summary' } });
    expect(text?.extracted).not.toHaveProperty('html');
    expect(await store.getText('missing')).toBeNull();
  });

  it('reads a document written by the previous layout (HTML inside extracted)', async () => {
    await store.addSighting({ id: 'a6', canonicalUrl: 'https://news.example/f', item, sighting: sighting('feed-a', '2025-01-01T00:00:00.000Z') });
    await redis.hset(`${prefix}:work:a6`, 'extracted', JSON.stringify(extracted({ text: 'old', html: '<p>old</p>' })));
    expect((await store.get('a6'))?.extracted?.html).toBe('<p>old</p>');
    expect((await store.getText('a6'))?.extracted).not.toHaveProperty('html');
  });

  it('drops the HTML of an earlier extraction when the new one has none', async () => {
    await store.addSighting({ id: 'a7', canonicalUrl: 'https://news.example/g', item, sighting: sighting('feed-a', '2025-01-01T00:00:00.000Z') });
    await store.setExtracted('a7', extracted({ html: '<p>page</p>' }), trace);
    await store.setExtracted('a7', extracted({ html: null }), trace);
    expect((await store.get('a7'))?.extracted?.html).toBeNull();
  });

  it('writes a stage result once, in one command, and reads nothing back', async () => {
    const client = new Redis(TEST_REDIS_URL);
    const counted = new RedisWorkStore(client, prefix);
    try {
      await counted.addSighting({ id: 'a8', canonicalUrl: 'https://news.example/h', item, sighting: sighting('feed-a', '2025-01-01T00:00:00.000Z') });
      // Once Redis knows a script (after its first use by any client), each use sends only its SHA.
      await counted.setClassification('a8', { labels: [], relevance: 0, framework: 'f', model: 'm' }, trace);
      const html = `<article>${'<p>A long paragraph of the page, as a real article has many of them.</p>'.repeat(200)}</article>`;
      const result = extracted({ text: html.replace(/<[^>]+>/g, ' '), html });
      const commands: string[] = [];
      const send = client.sendCommand.bind(client);
      client.sendCommand = ((command: Parameters<typeof send>[0], stream?: Parameters<typeof send>[1]) => {
        commands.push(command.name);
        return send(command, stream);
      }) as typeof client.sendCommand;
      const stream = (client as unknown as { stream: { bytesRead: number; bytesWritten: number } }).stream;
      const before = { read: stream.bytesRead, written: stream.bytesWritten };
      await counted.setExtracted('a8', result, trace);
      const size = Buffer.byteLength(JSON.stringify(result));
      expect(commands).toEqual(['evalsha']);
      // The text and HTML go out once (plus the trace entry), and only a status comes back.
      expect(stream.bytesWritten - before.written).toBeGreaterThan(size * 0.9);
      expect(stream.bytesWritten - before.written).toBeLessThan(size * 1.2);
      expect(stream.bytesRead - before.read).toBeLessThan(16);
      commands.length = 0;
      const added = await counted.addSighting({ id: 'a8', canonicalUrl: 'https://news.example/h', item, sighting: sighting('feed-b', '2025-01-01T00:00:01.000Z') });
      expect(added).toEqual({ created: false, sightings: 2 });
      expect(commands).toEqual(['evalsha']);
    } finally {
      client.disconnect();
    }
  });

  it('refuses to update a document that does not exist', async () => {
    await expect(
      store.setClassification('missing', { labels: [], relevance: 0, framework: 'f', model: 'm' }, { stage: 'classify', at: '', durationMs: 0, outcome: 'ok' }),
    ).rejects.toBeInstanceOf(MissingWorkError);
    await expect(store.setExtracted('missing', extracted({}), trace)).rejects.toBeInstanceOf(MissingWorkError);
    expect(await store.get('missing')).toBeNull();
    // Nothing was left behind for the expired article (no trace list without its document).
    expect(await redis.exists(`${prefix}:work:missing`, `${prefix}:work:missing:trace`)).toBe(0);
  });

  it('expires documents so Redis does not grow without bound', async () => {
    await store.addSighting({ id: 'a4', canonicalUrl: 'https://news.example/d', item, sighting: sighting('feed-a', '2025-01-01T00:00:00.000Z') });
    const ttl = await redis.ttl(`${prefix}:work:a4`);
    expect(ttl).toBeGreaterThan(0);
  });
});
