import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Cluster } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { hashTagOf } from '../../src/lib/hash-tag.js';
import { parseClusterUrl } from '../../src/queues/connection.js';
import { queueNames } from '../../src/queues/definitions.js';
import { startRedisCluster, type RedisCluster } from '../helpers/redis-cluster.js';
import { API_TOKEN, E2E_FIXTURES, rssFor, startServiceHarness, WEBHOOK_SECRET, type ServiceHarness } from '../helpers/service-harness.js';
import { logRecords } from '../helpers/service-process.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * The README says framewatch runs on Redis Cluster: here it does, end to end. The test starts a cluster of
 * three nodes of its own (free loopback ports, a temporary folder), points `framewatch start` and a
 * `framewatch worker` at it with REDIS_URL=redis-cluster://…, and feeds them two feeds that overlap. Every
 * article is stored once, every alert sent once, no job fails, and every key framewatch wrote is in the
 * slot of its prefix's hash tag. Its own file, so that it runs beside the other test files.
 */
const PAGES = ['price-cap-russian-oil', 'security-assistance-820m', 'ukraine-grid-repair', 'spacewalk-team'] as const;
const ALERT_LABELS = ['targeted-sanctions', 'military-collaboration', 'energy-security'];
const COPIES = 3;

let h: ServiceHarness | null = null;
let cluster: RedisCluster | null = null;
afterAll(async () => {
  await h?.close();
  await cluster?.stop();
}, 60_000);

function titleOf(page: string): string {
  return /<h1>(.*?)<\/h1>/.exec(readFileSync(join(E2E_FIXTURES, 'pages', `${page}.html`), 'utf8'))?.[1] ?? page;
}

async function query<T extends object>(databaseUrl: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('Redis Cluster', () => {
  it('two processes run the pipeline end to end on a three-node cluster: every article stored once, nothing lost', async () => {
    const started = Date.now();
    cluster = await startRedisCluster(3);
    const redisCluster = cluster;
    h = await startServiceHarness({ name: 'cluster', feeds: [{ path: '/feeds/main.rss', name: 'Main' }, { path: '/feeds/mirror.rss', name: 'Mirror' }], alerts: false });
    const harness = h;
    writeFileSync(
      join(harness.configDir, 'alerts.yaml'),
      ['endpoints:', '  - id: analysts', `    url: ${harness.receiver.origin}/hook`, `    secret: ${WEBHOOK_SECRET}`, 'rules:', '  - id: watch', `    labels: [${ALERT_LABELS.join(', ')}]`, '    dedupe:', '      enabled: false', '    endpoints: [analysts]'].join('\n'),
    );
    writeFileSync(join(harness.configDir, 'settings.yaml'), ['poll:', '  floor: 1s', '  perHostGap: 10ms', 'queues:', '  shutdownGrace: 10s', 'alerts:', '  retrySchedule: [1s, 1s, 1s]'].join('\n'));

    const articles = PAGES.flatMap((page) => Array.from({ length: COPIES }, (_, i) => ({ slug: `${page}-${i}`, page, title: `${titleOf(page)} (${i})` })));
    // The mirror lists every other article of the main feed: the same stories, seen in two feeds.
    const mirrored = articles.filter((_, i) => i % 2 === 0);
    harness.site.route('/feeds/main.rss', (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFor(harness.site.origin, articles)));
    harness.site.route('/feeds/mirror.rss', (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFor(harness.site.origin, mirrored)));
    for (const a of articles) {
      harness.site.route(`/articles/${a.slug}`, (_req, res) => {
        const html = readFileSync(join(E2E_FIXTURES, 'pages', `${a.page}.html`), 'utf8').replace(`href="/articles/${a.page}"`, `href="/articles/${a.slug}"`).replaceAll(titleOf(a.page), a.title);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      });
    }

    const env = { REDIS_URL: redisCluster.url };
    const main = harness.spawn(['start'], env);
    const worker = harness.spawn(['worker'], { ...env, PORT: '0' });
    await harness.waitReady(90_000);
    await waitFor(() => logRecords(worker.logs).some((r) => r.msg === 'framewatch started'), { timeoutMs: 90_000, what: 'the worker process to start' });

    const stored = await waitFor(
      async () => {
        const rows = await query<{ url: string; feeds: number; model: string | null }>(
          harness.databaseUrl,
          'SELECT a.canonical_url AS url, (SELECT count(*)::int FROM article_sightings s WHERE s.article_id = a.id) AS feeds, a.model_version AS model FROM articles a',
        );
        const mirroredDone = rows.filter((r) => r.feeds === 2).length === mirrored.length;
        return rows.length >= articles.length && rows.every((r) => r.model) && mirroredDone ? rows : null;
      },
      { timeoutMs: 150_000, intervalMs: 500, what: `${articles.length} articles stored and classified, the mirrored ones with both feeds` },
    );
    const storedAt = Date.now();
    expect(stored.map((r) => new URL(r.url).pathname).sort()).toEqual(articles.map((a) => `/articles/${a.slug}`).sort());

    const expectedHooks = (await query<{ id: string }>(harness.databaseUrl, `SELECT DISTINCT article_id AS id FROM article_labels WHERE label_id IN (${ALERT_LABELS.map((l) => `'${l}'`).join(', ')})`)).length;
    expect(expectedHooks).toBe(3 * COPIES);
    await waitFor(() => new Set(harness.received.map((r) => r.id)).size >= expectedHooks, { timeoutMs: 60_000, what: `${expectedHooks} webhooks` });
    await new Promise((r) => setTimeout(r, 3_000));
    expect(harness.received).toHaveLength(expectedHooks);

    // The desk's sessions live in the cluster too: sign in, then read the API with the session alone.
    const origin = `http://localhost:${harness.apiPort}`;
    const signIn = await fetch(`${harness.api}/sign-in`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin, 'sec-fetch-site': 'same-origin' }, body: `token=${API_TOKEN}&next=%2F` });
    expect(signIn.status).toBe(303);
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await fetch(`${harness.api}/api/stats`, { headers: { cookie } })).status).toBe(200);

    // Both processes did work, every queue is free of failures, and every key sits in the prefix's slot.
    const { nodes } = parseClusterUrl(redisCluster.url);
    const client = new Cluster(nodes, { redisOptions: { maxRetriesPerRequest: null } });
    const queues = queueNames.map((n) => new Queue(n, { connection: client, prefix: harness.prefix }));
    try {
      for (const q of queues) expect(await q.getFailedCount(), q.name).toBe(0);
      const keysByNode = await Promise.all(redisCluster.ports.map(async (port) => (await redisCluster.cli(port, '--scan', '--pattern', `${harness.prefix.replace(/([*?[\]\\])/g, '\\$1')}*`)).split('\n').filter(Boolean)));
      const keys = keysByNode.flat();
      // (The host limiter's keys expire within milliseconds here; its script ran on the cluster all the same.)
      for (const kind of [':work:', ':extract:', ':seen:', ':title:', ':canonical:', ':session:', ':poll:']) expect(keys.some((k) => k.includes(kind)), kind).toBe(true);
      expect(keysByNode.filter((k) => k.length > 0)).toHaveLength(1);
      const tag = hashTagOf(harness.prefix);
      expect(new Set(keys.map(hashTagOf))).toEqual(new Set([tag]));
    } finally {
      await Promise.all(queues.map((q) => q.close()));
      client.disconnect();
    }
    const ran = (p: typeof main) => logRecords(p.logs).filter((r) => typeof r.msg === 'string' && / done$/.test(r.msg)).length;
    expect(ran(main)).toBeGreaterThan(0);
    expect(ran(worker)).toBeGreaterThan(0);
    for (const p of [main, worker]) expect(logRecords(p.logs).filter((r) => r.level === 50 || r.level === 60), p.logs.slice(-5).join('\n')).toEqual([]);
    console.info(`redis-cluster: articles expected ${articles.length}, stored ${stored.length} (${mirrored.length} in both feeds); webhooks ${harness.received.length} of ${expectedHooks}; stored ${Math.round((storedAt - started) / 1000)} s after the test began, test ${Math.round((Date.now() - started) / 1000)} s`);
  }, 300_000);
});
