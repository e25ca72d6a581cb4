import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FeedConfig, FeedItem } from '../../../src/domain/types.js';
import { articleIdFor } from '../../../src/feeds/canonical-url.js';
import { RedisPollLock } from '../../../src/feeds/poll-lock.js';
import { handOnItems, runPollJob, type PollJobDeps } from '../../../src/pipeline/poll.js';
import { jobIds, type Enqueue, type EnqueueOptions, type QueueName } from '../../../src/queues/definitions.js';
import { RedisWorkStore } from '../../../src/queues/work-store.js';
import { startFeedTestEnv, type FeedTestEnv } from './feed-test-env.js';

/** Every job the stage handed on, in order, instead of a queue. */
interface Handed {
  queue: QueueName;
  payload: unknown;
  options: EnqueueOptions;
}

const rss = (items: { guid: string; title: string; link: string; description?: string }[]) =>
  Buffer.from(
    `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://example.org/</link>${items
      .map((i) => `<item><guid>${i.guid}</guid><title>${i.title}</title><link>${i.link}</link><description>${i.description ?? ''}</description><pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate></item>`)
      .join('')}</channel></rss>`,
  );

/** A work store whose writes fail until the test brings it back. */
class FlakyWorkStore extends RedisWorkStore {
  down = true;
  override addSighting(input: Parameters<RedisWorkStore['addSighting']>[0]): ReturnType<RedisWorkStore['addSighting']> {
    return this.down ? Promise.reject(new Error('Redis went away')) : super.addSighting(input);
  }
}

const item = (link: string, title: string, summary = ''): FeedItem => ({ guid: link, link, title, publishedAt: '2026-11-24T10:00:00.000Z', summary, contentHtml: null, author: null, categories: [], enclosures: [] });

let env: FeedTestEnv;
let handed: Handed[];
const enqueue: Enqueue = async (queue, payload, options) => void handed.push({ queue, payload, options });

beforeAll(async () => {
  env = await startFeedTestEnv('poll_hand_on');
});
afterAll(async () => {
  await env?.close();
});
beforeEach(() => {
  handed = [];
});

function jobDeps(feeds: FeedConfig[]): PollJobDeps {
  const { clock, ...poll } = env.deps();
  return {
    poll,
    clock,
    work: new RedisWorkStore(env.redis, env.prefix),
    enqueue,
    feeds: { get: (id) => feeds.find((f) => f.id === id) },
    lock: new RedisPollLock(env.redis, env.prefix),
  };
}

describe('handOnItems: what happens to a new feed entry', () => {
  it('a new article gets a working document and an extract job; a second feed’s copy is a sighting for the store stage; an edit is extracted again', async () => {
    const work = new RedisWorkStore(env.redis, env.prefix);
    const deps = { work, enqueue, clock: env.clock };
    const a = env.feed('/hand-on-a.xml', { name: 'Feed A' });
    const b = env.feed('/hand-on-b.xml', { name: 'Feed B' });
    const url = 'https://news.example/hand-on-1';
    const id = articleIdFor(url);

    expect(await handOnItems(a, [{ articleId: id, canonicalUrl: url, item: item(url, 'Ministers meet on export controls') }], deps)).toBe(1);
    expect(handed).toEqual([{ queue: 'extract', payload: { articleId: id }, options: { jobId: jobIds.extract(id) } }]);
    expect((await work.get(id))?.sightings.map((s) => s.feedName)).toEqual(['Feed A']);

    // The same headline under another URL in feed B: a duplicate of the first article.
    const other = 'https://mirror.example/hand-on-1';
    handed = [];
    expect(await handOnItems(b, [{ articleId: articleIdFor(other), canonicalUrl: other, item: item(other, 'Ministers meet on export controls'), duplicateOf: id }], deps)).toBe(0);
    expect(handed).toEqual([{ queue: 'store', payload: { articleId: id }, options: { jobId: jobIds.store(id, 'seen-2') } }]);
    expect((await work.get(id))?.sightings.map((s) => s.feedName)).toEqual(['Feed A', 'Feed B']);
    expect(await work.get(articleIdFor(other))).toBeNull();

    // A republished edit: the item is replaced and extracted again under a new job id.
    handed = [];
    const edited = item(url, 'Ministers agree on export controls', 'Updated.');
    expect(await handOnItems(a, [{ articleId: id, canonicalUrl: url, item: edited, updated: true }], deps)).toBe(0);
    expect(handed).toHaveLength(1);
    expect(handed[0]?.queue).toBe('extract');
    expect(handed[0]?.options.jobId).toMatch(new RegExp(`^${jobIds.extract(id)}-[0-9a-f]{12}$`));
    expect((await work.get(id))?.item.title).toBe('Ministers agree on export controls');
  });
});

describe('runPollJob: one poll job', () => {
  it('hands every new entry on to extract and reports how many articles were new', async () => {
    env.server.route('/job.xml', (_req, res) =>
      void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(
        rss([
          { guid: 'j-1', title: 'Council adopts a new sanctions package', link: 'https://news.example/job-1' },
          { guid: 'j-2', title: 'Defence ministers meet in Brussels', link: 'https://news.example/job-2' },
        ]),
      ),
    );
    const feed = env.feed('/job.xml');
    const fields = await runPollJob(feed.id, 'test-1', jobDeps([feed]));
    expect(fields).toMatchObject({ feedId: feed.id, status: 'ok', itemsNew: 2, articlesNew: 2, health: 'ok' });
    expect(handed.map((h) => [h.queue, h.payload])).toEqual([
      ['extract', { articleId: articleIdFor('https://news.example/job-1') }],
      ['extract', { articleId: articleIdFor('https://news.example/job-2') }],
    ]);
  });

  it('hands entries on before recording them as seen: a failed hand-on is re-delivered by the next poll', async () => {
    env.server.route('/crash.xml', (_req, res) =>
      void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([{ guid: 'c-1', title: 'Talks resume on the grain corridor', link: 'https://news.example/crash-1' }])),
    );
    const feed = env.feed('/crash.xml');
    const work = new FlakyWorkStore(env.redis, env.prefix);
    const deps = { ...jobDeps([feed]), work };
    await expect(runPollJob(feed.id, 'test-2', deps)).rejects.toThrow('Redis went away');
    work.down = false;
    env.clock.advance(feed.intervalMs);
    const again = await runPollJob(feed.id, 'test-3', deps);
    expect(again).toMatchObject({ status: 'ok', itemsNew: 1, articlesNew: 1 });
    expect(handed.map((h) => [h.queue, h.payload])).toEqual([['extract', { articleId: articleIdFor('https://news.example/crash-1') }]]);
  });

  it('skips a feed whose poll is already running, and a feed no longer configured', async () => {
    env.server.route('/locked.xml', (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([])));
    const feed = env.feed('/locked.xml');
    const deps = jobDeps([feed]);
    expect(await deps.lock.acquire(feed.id, 'someone-else')).toBe(true);
    expect(await runPollJob(feed.id, 'test-4', deps)).toEqual({ feedId: feed.id, skipped: 'a poll of this feed is already running' });
    // Only the holder releases the lock.
    await deps.lock.release(feed.id, 'test-4');
    expect(await deps.lock.acquire(feed.id, 'test-5')).toBe(false);
    await deps.lock.release(feed.id, 'someone-else');
    expect(await runPollJob(feed.id, 'test-5', deps)).toMatchObject({ feedId: feed.id, status: 'ok' });
    expect(await runPollJob('feed-removed', 'test-6', deps)).toEqual({ feedId: 'feed-removed', skipped: 'feed no longer configured' });
    expect(env.server.requests.filter((r) => r.path === '/locked.xml')).toHaveLength(1);
  });

  it('hands a health change on to the alert stage', async () => {
    env.server.route('/down.xml', (_req, res) => void res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>'));
    const feed = env.feed('/down.xml', { intervalMs: 60 * 60_000 });
    const deps = jobDeps([feed]);
    // Failing for a day or more makes the feed `failing`: one event, on the transition.
    for (let i = 0; i < 6; i++) {
      const fields = await runPollJob(feed.id, `test-down-${i}`, deps);
      env.clock.set(new Date(String(fields.nextPollAt)));
    }
    const alerts = handed.filter((h) => h.queue === 'alert');
    expect(alerts).toHaveLength(1);
    const payload = alerts[0]?.payload as { kind: string; feedId: string; eventId: string };
    expect(payload).toMatchObject({ kind: 'feed-health', feedId: feed.id });
    expect(alerts[0]?.options).toEqual({ jobId: jobIds.alertFeedHealth(payload.eventId) });
    expect((await env.state.getHealthEvent(payload.eventId))?.kind).toBe('failing');
  });
});
