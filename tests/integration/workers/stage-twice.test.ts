import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadClassifier } from '../../../src/classifiers/index.js';
import { loadConfig } from '../../../src/config/load-config.js';
import type { Classifier, Clock, FeedItem } from '../../../src/domain/types.js';
import { RedisCanonicalClaims } from '../../../src/feeds/canonical-claims.js';
import { createSafeFetcher, type ClosableSafeFetcher } from '../../../src/fetch/index.js';
import { runClassifyJob } from '../../../src/pipeline/classify.js';
import { runExtractJob } from '../../../src/pipeline/extract.js';
import { runStoreJob } from '../../../src/pipeline/store.js';
import type { InlineFollowOn } from '../../../src/pipeline/inline-follow-on.js';
import type { Enqueue } from '../../../src/queues/definitions.js';
import { RedisWorkStore } from '../../../src/queues/work-store.js';
import { ArticleSaveBatcher } from '../../../src/store/article-save-batcher.js';
import { ArticleStore } from '../../../src/store/article-store.js';
import type { Db } from '../../../src/store/db.js';
import { migrate } from '../../../src/store/migrate.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { createTestDatabase } from '../../helpers/postgres.js';
import { TEST_REDIS_URL, testRedisPrefix } from '../../helpers/redis.js';
import { REPO_ROOT } from '../../helpers/service-process.js';

const { prefix, cleanup } = testRedisPrefix('stage-twice');
const clock: Clock = { now: () => new Date('2026-12-07T05:00:00.000Z') };
let redis: Redis;
let site: FixtureServer;
let fetcher: ClosableSafeFetcher;
let classifier: Classifier;
let database: { url: string; drop: () => Promise<void> };
let db: Db;
/** Every command the stages send, as name and first key, so a test can say which ones touched the document. */
const sent: { name: string; key: string }[] = [];
const jobs: { queue: string; jobId: string }[] = [];
const enqueue: Enqueue = async (queue, _payload, options) => void jobs.push({ queue, jobId: options.jobId });

const paragraph = 'The Council of the European Union adopted a further package of restrictive measures against Russia, including an asset freeze and export controls on dual-use goods. ';
const page = `<!doctype html><html lang="en"><head><title>EU adopts sanctions package</title></head><body><article><h1>EU adopts sanctions package</h1><p>${paragraph.repeat(3)}</p><p>${paragraph.repeat(2)}</p></article></body></html>`;

beforeAll(async () => {
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((command: Parameters<typeof send>[0], stream?: Parameters<typeof send>[1]) => {
    const args = command.args.map(String);
    // A script's first key follows its text (or SHA) and key count.
    sent.push({ name: command.name, key: (command.name === 'eval' || command.name === 'evalsha' ? args[2] : args[0]) ?? '' });
    return send(command, stream);
  }) as typeof redis.sendCommand;
  site = await startFixtureServer();
  site.route('/story', (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end(page));
  fetcher = createSafeFetcher({ allowPrivateNetworks: true, userAgent: 'test', timeoutMs: 5_000, maxBytes: 1_000_000, maxRedirects: 3 });
  classifier = await loadClassifier(loadConfig({ configDir: join(REPO_ROOT, 'config'), env: {} }).framework);
  database = await createTestDatabase('stage_twice');
  db = await openDatabase({ url: database.url, dataDir: tmpdir() });
  await migrate(db);
});
afterAll(async () => {
  await db?.close();
  await database?.drop();
  await fetcher.close();
  await site.close();
  redis.disconnect();
  await cleanup();
});

describe('each stage run twice on one article', () => {
  it('writes the working document once per run, hands on the same job ids and stores one record', async () => {
    const work = new RedisWorkStore(redis, prefix);
    const link = `${site.origin}/story`;
    const item: FeedItem = { guid: link, link, title: 'EU adopts sanctions package', publishedAt: null, summary: 'Sanctions package.', contentHtml: null, author: null, categories: [], enclosures: [] };
    await work.addSighting({ id: 'art-1', canonicalUrl: link, item, sighting: { feedId: 'feed-a', feedName: 'A', link, guid: link, seenAt: '2026-12-07T04:59:00.000Z' } });
    const doc = `${prefix}:work:art-1`;
    // Every script call goes out as EVALSHA first (an EVAL follows only when Redis does not know the script yet).
    const docWrites = () => sent.filter((c) => c.key === doc && c.name === 'evalsha').length;

    const extractDeps = { work, enqueue, clock, canonicals: new RedisCanonicalClaims(redis, prefix), extract: { fetcher, engine: 'linkedom' as const, minConfidence: 0.5 } };
    const writesBefore = docWrites();
    for (let run = 0; run < 2; run++) await runExtractJob('art-1', { last: false, deferred: 0 }, extractDeps);
    expect(docWrites() - writesBefore).toBe(2);
    const extracted = (await work.get('art-1'))?.extracted;
    expect(extracted?.method).toBe('readability');
    expect(extracted?.html).toContain('restrictive measures');

    const classifyDeps = { work, enqueue, clock, classifier: () => classifier };
    const first = await runClassifyJob('art-1', classifyDeps);
    const second = await runClassifyJob('art-1', classifyDeps);
    expect(second.classification).toEqual(first.classification);
    expect(docWrites() - writesBefore).toBe(4);

    const articles = new ArticleSaveBatcher(new ArticleStore(db, clock), { maxBatch: 8, maxInFlight: 1 });
    const stored = await Promise.all([runStoreJob('art-1', { work, enqueue, articles, clock }), runStoreJob('art-1', { work, enqueue, articles, clock })]);
    expect(stored.map((s) => s.created).sort()).toEqual([false, true]);
    // Store reads the document; it never writes it.
    expect(docWrites() - writesBefore).toBe(4);

    const ids = (queue: string) => jobs.filter((j) => j.queue === queue).map((j) => j.jobId);
    for (const queue of ['classify', 'store', 'alert']) {
      expect(ids(queue)).toHaveLength(2);
      expect(new Set(ids(queue)).size).toBe(1);
    }
    const record = await new ArticleStore(db, clock).getArticle('art-1');
    expect(record?.html).toBe(extracted?.html);
    expect(record?.trace.map((t) => t.stage)).toEqual(['extract', 'extract', 'classify', 'classify', 'store']);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM articles');
    expect(rows[0]?.n).toBe(1);
  });

  it('with classify and store inline, extract run twice classifies and stores in the job, hands on one alert job id and stores one record', async () => {
    const work = new RedisWorkStore(redis, prefix);
    const link = `${site.origin}/story?inline`;
    const item: FeedItem = { guid: link, link, title: 'EU adopts sanctions package', publishedAt: null, summary: 'Sanctions package.', contentHtml: null, author: null, categories: [], enclosures: [] };
    await work.addSighting({ id: 'art-2', canonicalUrl: link, item, sighting: { feedId: 'feed-a', feedName: 'A', link, guid: link, seenAt: '2026-12-07T04:59:00.000Z' } });
    const articles = new ArticleSaveBatcher(new ArticleStore(db, clock), { maxBatch: 8, maxInFlight: 1 });
    const inline: InlineFollowOn = { classifier: () => classifier, articles };
    const deps = { work, enqueue, clock, canonicals: new RedisCanonicalClaims(redis, prefix), extract: { fetcher, engine: 'linkedom' as const, minConfidence: 0.5 }, inline };
    jobs.length = 0;
    const runs = [await runExtractJob('art-2', { last: false, deferred: 0 }, deps), await runExtractJob('art-2', { last: false, deferred: 0 }, deps)];
    for (const run of runs) expect(run.next === 'done' && run.classification?.labels.map((l) => l.id)).toContain('targeted-sanctions');
    // No classify or store job: both ran in the extract job. The alert job has one id for both runs.
    expect(jobs.map((j) => j.queue)).toEqual(['alert', 'alert']);
    expect(new Set(jobs.map((j) => j.jobId)).size).toBe(1);
    const record = await new ArticleStore(db, clock).getArticle('art-2');
    expect(record?.labels.map((l) => l.id)).toContain('targeted-sanctions');
    expect(record?.trace.map((t) => t.stage)).toEqual(['extract', 'classify', 'extract', 'classify', 'store']);
    expect((await work.get('art-2'))?.classification?.labels.map((l) => l.id)).toContain('targeted-sanctions');
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM articles WHERE id = 'art-2'");
    expect(rows[0]?.n).toBe(1);
  });

  it('with store inline and the database failing, the store job takes over with the id the classify job would have given it', async () => {
    const work = new RedisWorkStore(redis, prefix);
    const link = `${site.origin}/story?dead-db`;
    const item: FeedItem = { guid: link, link, title: 'EU adopts sanctions package', publishedAt: null, summary: 'Sanctions package.', contentHtml: null, author: null, categories: [], enclosures: [] };
    await work.addSighting({ id: 'art-3', canonicalUrl: link, item, sighting: { feedId: 'feed-a', feedName: 'A', link, guid: link, seenAt: '2026-12-07T04:59:00.000Z' } });
    // A real database connection that is gone: every save fails.
    const gone = await openDatabase({ url: database.url, dataDir: tmpdir() });
    await gone.close();
    const handedOver: string[] = [];
    const inline: InlineFollowOn = { classifier: () => classifier, articles: new ArticleStore(gone, clock), onHandOver: (step, id) => void handedOver.push(`${step} ${id}`) };
    jobs.length = 0;
    const result = await runExtractJob('art-3', { last: false, deferred: 0 }, { work, enqueue, clock, canonicals: new RedisCanonicalClaims(redis, prefix), extract: { fetcher, engine: 'linkedom' as const, minConfidence: 0.5 }, inline });
    expect(result.next).toBe('done');
    expect(handedOver).toEqual(['store art-3']);
    expect(jobs.map((j) => j.queue)).toEqual(['store']);
    const handedOverId = jobs[0]?.jobId;

    // The classify job, run on the same document, names the same store job: the hand-over is that job.
    jobs.length = 0;
    await runClassifyJob('art-3', { work, enqueue, clock, classifier: () => classifier });
    expect(jobs.map((j) => j.jobId)).toEqual([handedOverId]);
    await runStoreJob('art-3', { work, enqueue, articles: new ArticleStore(db, clock), clock });
    expect((await new ArticleStore(db, clock).getArticle('art-3'))?.labels.map((l) => l.id)).toContain('targeted-sanctions');
  });
  it('with alert inline too, runs the alert job in the extract job after the store, and hands it to its queue when it fails', async () => {
    const work = new RedisWorkStore(redis, prefix);
    const link = `${site.origin}/story?alert-inline`;
    const item: FeedItem = { guid: link, link, title: 'EU adopts sanctions package', publishedAt: null, summary: 'Sanctions package.', contentHtml: null, author: null, categories: [], enclosures: [] };
    await work.addSighting({ id: 'art-4', canonicalUrl: link, item, sighting: { feedId: 'feed-a', feedName: 'A', link, guid: link, seenAt: '2026-12-07T04:59:00.000Z' } });
    const store = new ArticleStore(db, clock);
    // What the alert job reads is the stored record: it must be there, labelled, when the alert runs.
    const labelsSeen: (string[] | undefined)[] = [];
    const alert = async (articleId: string) => {
      labelsSeen.push((await store.getArticle(articleId))?.labels.map((l) => l.id));
      return { articleId, matched: ['sanctions-rule'] };
    };
    const deps = { work, enqueue, clock, canonicals: new RedisCanonicalClaims(redis, prefix), extract: { fetcher, engine: 'linkedom' as const, minConfidence: 0.5 } };
    jobs.length = 0;
    const ran = await runExtractJob('art-4', { last: false, deferred: 0 }, { ...deps, inline: { classifier: () => classifier, articles: store, alert } });
    expect(jobs).toEqual([]);
    expect(labelsSeen).toHaveLength(1);
    expect(labelsSeen[0]).toContain('targeted-sanctions');
    expect(ran.next === 'done' && ran.fields.alert).toEqual({ matched: ['sanctions-rule'] });

    const handedOver: string[] = [];
    const failing: InlineFollowOn = {
      classifier: () => classifier,
      articles: store,
      alert: () => Promise.reject(new Error('the rule set could not be read')),
      onHandOver: (step, id) => void handedOver.push(`${step} ${id}`),
    };
    const again = await runExtractJob('art-4', { last: false, deferred: 0 }, { ...deps, inline: failing });
    expect(again.next === 'done' && again.fields.handedOver).toBe('alert');
    expect(handedOver).toEqual(['alert art-4']);
    expect(jobs.map((j) => j.queue)).toEqual(['alert']);
    const handedOverId = jobs[0]?.jobId;
    // The store job, run on the same document, names the same alert job: the hand-over is that job.
    jobs.length = 0;
    await runStoreJob('art-4', { work, enqueue, articles: store, clock });
    expect(jobs.map((j) => j.jobId)).toEqual([handedOverId]);
  });
});
