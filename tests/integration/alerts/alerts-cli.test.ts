import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAlertsCommand } from '../../../src/cli/commands/alerts.js';
import { registerDeliveriesCommand } from '../../../src/cli/commands/deliveries.js';
import type { CliContext } from '../../../src/cli/context.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { silentLogger } from '../../../src/obs/logger.js';
import { Redis } from 'ioredis';
import { QueueClient } from '../../../src/queues/queue-client.js';
import { ArticleStore } from '../../../src/store/article-store.js';
import { EndpointStateStore } from '../../../src/store/delivery-endpoints.js';
import { DeliveryStore } from '../../../src/store/delivery-store.js';
import { migrate } from '../../../src/store/migrate.js';
import { PgDb } from '../../../src/store/pg-db.js';
import { createTestDatabase } from '../../helpers/postgres.js';
import { TEST_REDIS_URL, testRedisPrefix } from '../../helpers/redis.js';
import { classification, extracted, label, work } from '../store/work-fixtures.js';
import { SECRET } from './alert-env.js';

const { prefix, cleanup } = testRedisPrefix('alerts-cli');
let dir: string;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let env: Record<string, string>;

const TEXT = 'The EU imposed sanctions on three drone exporters. Officials said more measures would follow.';

beforeAll(async () => {
  database = await createTestDatabase('alerts_cli');
  dir = mkdtempSync(join(tmpdir(), 'fw-cli-'));
  copyFileSync('config/framework.yaml', join(dir, 'framework.yaml'));
  writeFileSync(
    join(dir, 'alerts.yaml'),
    `endpoints:\n  - id: hook\n    url: https://hooks.example/x\n    secret: ${SECRET}\nrules:\n  - id: sanctions\n    labels: [targeted-sanctions]\n    minScore: 0.5\n    keywords: [drone]\n    endpoints: [hook]\n  - id: cyber\n    labels: [cybersecurity]\n    endpoints: [hook]\n`,
  );
  env = { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, FRAMEWATCH_QUEUE_PREFIX: prefix, FRAMEWATCH_PUBLIC_URL: 'https://fw.example' };
  const db = await PgDb.connect(database.url);
  await migrate(db);
  const articles = new ArticleStore(db);
  const recent = new Date(Date.now() - 3_600_000).toISOString();
  for (const id of ['cli-1', 'cli-2']) {
    await articles.saveArticle({
      ...work(id, { text: TEXT, firstSeenAt: recent, title: id === 'cli-1' ? 'EU sanctions drone exporters' : 'Cyber attack on grid operator' }),
      extracted: extracted(id === 'cli-1' ? TEXT : 'Hackers disrupted the grid operator for hours on Tuesday.'),
      classification: classification(id === 'cli-1' ? [label('targeted-sanctions', 0.8, ['policy-focuses'], TEXT)] : [label('cybersecurity', 0.7, ['aspects'], 'Hackers disrupted the grid.')]),
    });
  }
  await db.close();
});
afterAll(async () => {
  await cleanup();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<string> {
  const out: string[] = [];
  const ctx: CliContext = {
    loadConfig: () => loadConfig({ env, configDir: dir }),
    logger: () => silentLogger,
    createFetcher: () => {
      throw new Error('not used');
    },
    openDb: async () => {
      const db = await PgDb.connect(database.url);
      await migrate(db);
      return db;
    },
    stdout: new Writable({ write: (c, _e, cb) => (out.push(String(c)), cb()) }),
    stdin: new PassThrough(),
  };
  const program = new Command('framewatch').exitOverride();
  registerAlertsCommand(program, ctx);
  registerDeliveriesCommand(program, ctx);
  await program.parseAsync(['node', 'framewatch', ...args]);
  return out.join('');
}

describe('framewatch alerts / deliveries', () => {
  it('alerts test shows whether and why a rule matches', async () => {
    const yes = JSON.parse(await run('alerts', 'test', 'sanctions', '--article', 'cli-1'));
    expect(yes.matched).toBe(true);
    expect(yes.matchedLabels).toEqual(['targeted-sanctions']);
    expect(yes.checks.map((c: { check: string }) => c.check)).toEqual(['event', 'labels', 'keywords']);
    const no = JSON.parse(await run('alerts', 'test', 'sanctions', '--article', 'cli-2'));
    expect(no.matched).toBe(false);
    expect(no.checks.find((c: { check: string }) => c.check === 'labels').detail).toContain('none of targeted-sanctions');
    await expect(run('alerts', 'test', 'nope', '--article', 'cli-1')).rejects.toThrow(/no rule "nope"/);
    await expect(run('alerts', 'test', 'sanctions', '--article', 'missing')).rejects.toThrow(/no stored article/);
  });

  it('alerts replay queues each delivery once, however often it runs', async () => {
    const first = JSON.parse(await run('alerts', 'replay', '--since', '24h'));
    expect(first).toMatchObject({ articles: 2, matched: 2, outcomes: { sent: 2 }, queued: 2 });
    const second = JSON.parse(await run('alerts', 'replay', '--since', '24h'));
    expect(second.outcomes).toEqual({ sent: 2 });
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const queues = new QueueClient(redis, prefix);
    try {
      const jobs = await queues.queue('deliver').getJobs(['waiting', 'delayed', 'prioritized']);
      expect(jobs).toHaveLength(2);
    } finally {
      await queues.close();
      redis.disconnect();
    }
    const listed = (await run('deliveries', 'list')).trim().split('\n').map((l) => JSON.parse(l));
    expect(listed).toHaveLength(2);
    expect(listed.map((d) => d.type)).toEqual(['article.matched', 'article.matched']);
    expect(listed.map((d) => d.status)).toEqual(['pending', 'pending']);
  });

  it('deliveries replay and enable', async () => {
    const listed = (await run('deliveries', 'list', '--endpoint', 'hook')).trim().split('\n').map((l) => JSON.parse(l));
    // Still pending (no worker runs here): the replay keeps its schedule rather than queue a second job.
    const replay = JSON.parse(await run('deliveries', 'replay', listed[0].id));
    expect(replay.replayed).toEqual([{ id: listed[0].id, status: 'pending', replays: 0, requeued: false }]);
    const db0 = await PgDb.connect(database.url);
    try {
      await new DeliveryStore(db0).setStatus(listed[0].id, 'dead', 'retries exhausted: HTTP 500', new Date());
    } finally {
      await db0.close();
    }
    const dead = JSON.parse(await run('deliveries', 'replay', '--status', 'dead'));
    expect(dead.replayed).toEqual([{ id: listed[0].id, status: 'pending', replays: 1, requeued: true }]);
    await expect(run('deliveries', 'replay')).rejects.toThrow(/give delivery ids/);
    const db = await PgDb.connect(database.url);
    try {
      await new EndpointStateStore(db).disable('hook', 'HTTP 410', new Date());
    } finally {
      await db.close();
    }
    expect(JSON.parse(await run('deliveries', 'enable', 'hook'))).toEqual({ endpoint: 'hook', enabled: true, wasDisabled: true });
    expect(JSON.parse(await run('deliveries', 'enable', 'hook'))).toEqual({ endpoint: 'hook', enabled: true, wasDisabled: false });
  });

  it('alerts replay --since 1h takes the articles stored in the last hour, however old their stories', async () => {
    const db = await PgDb.connect(database.url);
    try {
      // The articles above were stored two hours ago; a feed's backlog of three days ago is stored now.
      await db.query(`UPDATE articles SET updated_at = now() - interval '2 hours'`);
      const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000).toISOString();
      const backlog = 'Britain listed a drone maker in Minsk and four of its suppliers. Their assets in London are frozen.';
      await new ArticleStore(db).saveArticle({
        ...work('cli-backlog', { text: backlog, firstSeenAt: threeDaysAgo, publishedAt: threeDaysAgo, title: 'UK lists Belarusian drone maker' }),
        extracted: extracted(backlog),
        classification: classification([label('targeted-sanctions', 0.9, ['policy-focuses'], backlog)]),
      });
    } finally {
      await db.close();
    }
    const replay = JSON.parse(await run('alerts', 'replay', '--since', '1h'));
    expect(replay).toMatchObject({ articles: 1, matched: 1, outcomes: { sent: 1 }, queued: 1 });
    // The earlier ones come back with a window that reaches them.
    expect(JSON.parse(await run('alerts', 'replay', '--since', '3h')).articles).toBe(3);
  });
});
