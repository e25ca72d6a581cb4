import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerMigrateCommand } from '../../../src/cli/commands/migrate.js';
import { writeResults } from '../../../src/cli/commands/results-format.js';
import { registerResultsCommand } from '../../../src/cli/commands/results.js';
import { registerReviewCommand } from '../../../src/cli/commands/review.js';
import type { CliContext } from '../../../src/cli/context.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { settingsFileSchema } from '../../../src/config/settings-schema.js';
import { silentLogger } from '../../../src/obs/logger.js';
import { ArticleStore } from '../../../src/store/article-store.js';
import { migrate } from '../../../src/store/migrate.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { runRetention } from '../../../src/pipeline/maintenance.js';
import { jsonFeedProblems } from '../http/json-feed-spec.js';
import { BACKENDS, type TestDb } from './backends.js';
import { label, work } from './work-fixtures.js';

async function collect(records: AsyncIterable<never> | Parameters<typeof writeResults>[0], format: 'json' | 'jsonl' | 'jsonfeed' | 'csv'): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeResults(records, out, { format, publicUrl: 'https://fw.example' });
  out.end();
  await finished(out);
  return Buffer.concat(chunks).toString('utf8');
}

describe.each(BACKENDS)('exports and retention on $name', (backend) => {
  let t: TestDb;
  let store: ArticleStore;

  beforeAll(async () => {
    t = await backend.open('export');
    await migrate(t.db);
    store = new ArticleStore(t.db);
    for (let i = 1; i <= 7; i++) {
      await store.saveArticle(
        work(`ex-${i}`, {
          firstSeenAt: new Date(Date.UTC(2026, 9, i * 5)).toISOString(),
          title: i === 2 ? '=HYPERLINK("x"), "quoted" title' : `Title ${i}`,
          labels: [label('energy-security', 0.1 * i, ['aspects', 'impact-areas'])],
        }),
      );
    }
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it('writes every record once in each format', async () => {
    const jsonl = (await collect(store.streamArticles({}), 'jsonl')).trim().split('\n');
    expect(jsonl.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['ex-7', 'ex-6', 'ex-5', 'ex-4', 'ex-3', 'ex-2', 'ex-1']);
    const json = JSON.parse(await collect(store.streamArticles({ minScore: 0.5 }), 'json')) as { id: string }[];
    expect(json.map((a) => a.id)).toEqual(['ex-7', 'ex-6', 'ex-5']);
    expect(JSON.parse(await collect(store.streamArticles({ labels: ['nothing'] }), 'json'))).toEqual([]);
    const feed = JSON.parse(await collect(store.streamArticles({}), 'jsonfeed')) as { items: { id: string; tags: string[] }[] };
    expect(jsonFeedProblems(feed)).toEqual([]);
    expect(feed.items).toHaveLength(7);
    expect(feed.items[0]?.tags).toEqual(['energy-security']);
    const csv = (await collect(store.streamArticles({}), 'csv')).trimEnd().split('\r\n');
    expect(csv[0]).toMatch(/^id,published_at,first_seen_at,title,url/);
    expect(csv).toHaveLength(8);
    expect(csv.find((l) => l.startsWith('ex-2,'))).toContain(`"'=HYPERLINK(""x""), ""quoted"" title"`);
  });

  it('stops with the stream error when the reader goes away, instead of crashing', async () => {
    const out = new Writable({
      highWaterMark: 16,
      write(_chunk, _enc, done) {
        const err = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
        done(err);
      },
    });
    await expect(writeResults(store.streamArticles({}), out, { format: 'jsonl', publicUrl: 'https://fw.example' })).rejects.toMatchObject({ code: 'EPIPE' });
  });

  it('runs retention from settings, and not at all without them', async () => {
    const clock = { now: () => new Date('2026-11-10T00:00:00.000Z') };
    const settings = settingsFileSchema.parse({ store: { retainText: '20d' } }).store;
    expect(await runRetention({ articles: store, settings: settingsFileSchema.parse({}).store, clock })).toEqual({ cleared: 0, cutoff: null });
    const result = await runRetention({ articles: store, settings, clock });
    // Cutoff 2026-10-21: articles first seen Oct 5, 10, 15 and 20.
    expect(result).toEqual({ cleared: 4, cutoff: '2026-10-21T00:00:00.000Z' });
    expect((await store.getArticle('ex-4'))?.text).toBeNull();
    expect((await store.getArticle('ex-5'))?.text).not.toBeNull();
    expect((await store.getArticle('ex-4'))?.labels).toHaveLength(1);
  });
});

describe('framewatch migrate and results commands (PostgreSQL)', () => {
  let t: TestDb;
  let dir: string;
  const run = async (args: string[]): Promise<string> => {
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (c: Buffer) => chunks.push(c));
    const env = { DATABASE_URL: t.url ?? undefined, FRAMEWATCH_CONFIG: 'config' };
    const ctx: CliContext = {
      loadConfig: () => loadConfig({ env }),
      logger: () => silentLogger,
      createFetcher: () => {
        throw new Error('not used');
      },
      openDb: async (config) => {
        const db = await openDatabase({ url: config.env.DATABASE_URL ?? null, dataDir: config.env.FRAMEWATCH_DATA_DIR });
        await migrate(db);
        return db;
      },
      stdout,
      stdin: new PassThrough(),
    };
    const program = new Command('framewatch').exitOverride();
    registerMigrateCommand(program, ctx);
    registerResultsCommand(program, ctx);
    registerReviewCommand(program, ctx);
    await program.parseAsync(['node', 'framewatch', ...args]);
    stdout.end();
    await finished(stdout);
    return Buffer.concat(chunks).toString('utf8');
  };

  beforeAll(async () => {
    t = await BACKENDS.find((b) => b.name === 'postgres')!.open('cli_results');
    dir = await mkdtemp(join(tmpdir(), 'fw-results-'));
  });
  afterAll(async () => {
    await t?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('migrates, then exports with API filters to stdout and to a file', async () => {
    const first = JSON.parse(await run(['migrate'])) as { applied: string[]; current: string[]; database: string };
    expect(first.database).toBe('postgresql');
    expect(first.applied).toEqual(first.current);
    expect(first.applied.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(await run(['migrate']))).toMatchObject({ applied: [] });

    const store = new ArticleStore(t.db);
    await store.saveArticle(work('cli-1', { labels: [label('cybersecurity', 0.9, ['aspects'])] }));
    await store.saveArticle(work('cli-2', { labels: [label('energy-security', 0.4, ['aspects', 'impact-areas'])] }));

    const lines = (await run(['results', '--label', 'cybersecurity,energy-security', '--min-score', '0.5'])).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['cli-1']);

    const out = join(dir, 'all.csv');
    expect(await run(['results', '--format', 'csv', '--out', out])).toBe('');
    const csv = (await readFile(out, 'utf8')).trimEnd().split('\r\n');
    expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(['cli-2', 'cli-1'].sort().reverse());

    await expect(run(['results', '--min-score', '7'])).rejects.toThrow(/--min-score/);

    const reviewed = JSON.parse(await run(['review', 'cli-2', '--reject', 'energy-security', '--add', 'economic-support', '--reviewer', 'ana'])) as { labels: { id: string; review: string }[] };
    expect(reviewed.labels.map((l) => [l.id, l.review])).toEqual([
      ['economic-support', 'confirmed'],
      ['energy-security', 'rejected'],
    ]);
    await expect(run(['review', 'cli-2', '--confirm', 'cybersecurity'])).rejects.toThrow(/no label "cybersecurity"/);
    await expect(run(['review', 'missing', '--add', 'cybersecurity'])).rejects.toThrow(/no article missing/);
    const confirmed = (await run(['results', '--review', 'confirmed'])).trim().split('\n');
    expect(confirmed.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['cli-2']);
  });
});
