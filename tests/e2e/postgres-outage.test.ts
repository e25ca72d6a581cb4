import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { queueNames } from '../../src/queues/definitions.js';
import { TEST_REDIS_URL } from '../helpers/redis.js';
import { E2E_FIXTURES, rssFor, startServiceHarness, WEBHOOK_SECRET, type ServiceHarness } from '../helpers/service-harness.js';
import { logRecords } from '../helpers/service-process.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * Issue 15, defect 2: with PostgreSQL cut for 60 s while alert jobs waited, every alert job failed and no
 * webhook was ever sent. Here PostgreSQL is unreachable for 90 s (a loopback proxy the test cuts; the shared
 * server is never touched) while alert jobs and store jobs wait; afterwards every expected webhook arrives,
 * each exactly once. Its own file, so that its minutes run beside the other test files, not after them.
 */
const OUTAGE_MS = 90_000;
/** Fixture pages and the labels the shipped model gives them (spacewalk-team gets none: a control). */
const PAGES = ['price-cap-russian-oil', 'security-assistance-820m', 'ukraine-grid-repair', 'spacewalk-team'] as const;
const ALERT_LABELS = ['targeted-sanctions', 'military-collaboration', 'energy-security'];
/** Articles per page and batch: batch A is stored before the outage (its alerts wait), batch B during it. */
const COPIES = 2;

let h: ServiceHarness | null = null;
let proxy: TcpProxy | null = null;
afterAll(async () => {
  await h?.close();
  await proxy?.close();
}, 60_000);

function articlesOf(batch: 'a' | 'b'): { slug: string; page: string; title: string }[] {
  return PAGES.flatMap((page) => Array.from({ length: COPIES }, (_, i) => ({ slug: `${page}-${batch}${i}`, page, title: `${titleOf(page)} (${batch.toUpperCase()}${i})` })));
}

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

describe('PostgreSQL unreachable for 90 s', () => {
  it('alert and store jobs wait it out, attempts kept; afterwards every expected webhook is delivered exactly once', async () => {
    const started = Date.now();
    h = await startServiceHarness({
      name: 'pg-outage',
      feeds: [{ path: '/feeds/main.rss', name: 'Main' }],
      alerts: false,
    });
    const harness = h;
    writeFileSync(
      join(harness.configDir, 'settings.yaml'),
      [
        // Batch B's pages are held open until the outage begins: enough extraction slots and per-host
        // slots that batch A flows past them.
        'poll:',
        '  floor: 1s',
        '  perHostConcurrency: 32',
        '  perHostGap: 10ms',
        'extract:',
        '  concurrency: 16',
        'queues:',
        '  shutdownGrace: 10s',
        // The longest wait is 5 s (60 s by default), so the test sees the recovery within seconds.
        '  outageBackoff:',
        '    initial: 1s',
        '    max: 5s',
        'alerts:',
        '  retrySchedule: [1s, 1s, 1s]',
      ].join('\n'),
    );
    // Every copy of a story is its own alert: no story dedupe, no throttle.
    writeFileSync(
      join(harness.configDir, 'alerts.yaml'),
      ['endpoints:', '  - id: analysts', `    url: ${harness.receiver.origin}/hook`, `    secret: ${WEBHOOK_SECRET}`, 'rules:', '  - id: watch', `    labels: [${ALERT_LABELS.join(', ')}]`, '    dedupe:', '      enabled: false', '    endpoints: [analysts]'].join('\n'),
    );
    const target = new URL(harness.databaseUrl);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const pgProxy = proxy;

    const batchA = articlesOf('a');
    const batchB = articlesOf('b');
    harness.site.route('/feeds/main.rss', (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFor(harness.site.origin, [...batchA, ...batchB])));
    let releaseB!: () => void;
    const batchBHeld = new Promise<void>((resolve) => (releaseB = resolve));
    for (const [batch, articles] of [['a', batchA], ['b', batchB]] as const) {
      for (const a of articles) {
        harness.site.route(`/articles/${a.slug}`, async (_req, res) => {
          if (batch === 'b') await batchBHeld;
          const html = readFileSync(join(E2E_FIXTURES, 'pages', `${a.page}.html`), 'utf8').replace(`href="/articles/${a.page}"`, `href="/articles/${a.slug}"`).replaceAll(titleOf(a.page), a.title);
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
        });
      }
    }

    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const queues = Object.fromEntries(queueNames.map((n) => [n, new Queue(n, { connection: redis, prefix: harness.prefix })])) as Record<(typeof queueNames)[number], Queue>;
    try {
      // Alerts of batch A pile up while the alert queue is paused, so that they wait on the outage.
      await queues.alert.pause();
      // The alert stage runs in a worker of its own: a process that runs it beside store runs each article's
      // alert in the extract job, and this test is about alert jobs in the queue waiting on the outage.
      const viaProxy = { DATABASE_URL: pgProxy.via(harness.databaseUrl) };
      const service = harness.spawn(['start', '--stages', 'poll,extract,classify,store,deliver,maintenance'], viaProxy);
      const alerter = harness.spawn(['worker', '--stages', 'alert'], viaProxy);
      await waitFor(async () => (await query<{ n: number }>(harness.databaseUrl, 'SELECT count(*)::int AS n FROM articles'))[0]?.n === batchA.length, { timeoutMs: 90_000, what: 'batch A stored' });
      await waitFor(async () => (await queues.alert.getJobCountByTypes('wait', 'prioritized')) >= batchA.length, { timeoutMs: 30_000, what: "batch A's alert jobs" });

      const readyAt = Date.now();
      pgProxy.cut();
      const cutAt = Date.now();
      await queues.alert.resume();
      releaseB();

      // Near the end of the outage: alert and store jobs wait, none has spent an attempt, none failed.
      await new Promise((r) => setTimeout(r, Math.max(0, cutAt + OUTAGE_MS - 5_000 - Date.now())));
      for (const name of ['alert', 'store', 'poll', 'extract', 'classify', 'deliver', 'maintenance'] as const) expect(await queues[name].getFailedCount(), name).toBe(0);
      const alertJobs = await queues.alert.getJobs(['delayed', 'wait', 'active']);
      const storeJobs = await queues.store.getJobs(['delayed', 'wait', 'active']);
      expect(alertJobs.filter((j) => j.data.kind === 'article').length).toBeGreaterThanOrEqual(batchA.length);
      expect(storeJobs.length).toBeGreaterThan(0);
      expect([...alertJobs, ...storeJobs].map((j) => j.attemptsMade)).toEqual([...alertJobs, ...storeJobs].map(() => 0));
      for (const [stage, process] of [['alert', alerter], ['store', service]] as const) {
        expect(logRecords(process.logs).some((r) => typeof r.msg === 'string' && r.msg.startsWith(`${stage} waits for PostgreSQL`)), stage).toBe(true);
      }
      expect(harness.received).toHaveLength(0);
      await new Promise((r) => setTimeout(r, Math.max(0, cutAt + OUTAGE_MS - Date.now())));
      pgProxy.restore();
      const restoredAt = Date.now();

      // Afterwards: every article stored once, and a webhook for each one the rule matches, once each.
      const total = batchA.length + batchB.length;
      await waitFor(async () => (await query<{ n: number }>(harness.databaseUrl, 'SELECT count(*)::int AS n FROM articles'))[0]?.n === total, { timeoutMs: 60_000, what: 'every article stored' });
      const labelled = `SELECT a.id FROM articles a WHERE EXISTS (SELECT 1 FROM article_labels l WHERE l.article_id = a.id AND l.label_id IN (${ALERT_LABELS.map((l) => `'${l}'`).join(', ')}))`;
      const expectedIds = new Set((await query<{ id: string }>(harness.databaseUrl, labelled)).map((r) => r.id));
      // Three of the four pages carry an alert label: 2 × 2 × 3 articles.
      expect(expectedIds.size).toBe(2 * COPIES * 3);
      await waitFor(() => new Set(harness.received.map((r) => r.id)).size >= expectedIds.size, { timeoutMs: 60_000, what: `${expectedIds.size} webhooks` });
      const deliveredAt = Date.now();
      // Anything sent twice would arrive within the retry schedule's seconds.
      await new Promise((r) => setTimeout(r, 5_000));

      const perId = new Map<string, number>();
      for (const hook of harness.received) perId.set(hook.id, (perId.get(hook.id) ?? 0) + 1);
      const duplicated = [...perId.values()].filter((n) => n > 1).length;
      const hookedArticles = new Set(harness.received.map((r) => ((r.body.data as { article?: { id?: string } }).article?.id) ?? ''));
      console.info(
        `postgres-outage: webhooks expected ${expectedIds.size}, delivered ${perId.size}, duplicated ${duplicated}; outage ${Math.round((restoredAt - cutAt) / 1000)} s, ` +
          `batch A stored and the outage begun ${Math.round((readyAt - started) / 1000)} s after start, every webhook ${Math.round((deliveredAt - restoredAt) / 1000)} s after it ended; test ${Math.round((Date.now() - started) / 1000)} s`,
      );
      expect(harness.rejectedHooks).toEqual([]);
      expect(duplicated).toBe(0);
      expect(perId.size).toBe(expectedIds.size);
      expect(hookedArticles).toEqual(expectedIds);
      for (const q of Object.values(queues)) expect(await q.getFailedCount(), q.name).toBe(0);
      expect(service.child.exitCode).toBeNull();
      expect(alerter.child.exitCode).toBeNull();
    } finally {
      await Promise.all(Object.values(queues).map((q) => q.close()));
      redis.disconnect();
    }
  }, 300_000);
});
