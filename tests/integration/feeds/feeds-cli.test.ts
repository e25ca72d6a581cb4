import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, loadFeedsFile } from '../../../src/config/load-config.js';
import { registerFeedsCommand } from '../../../src/cli/commands/feeds.js';
import { CliError, type CliContext } from '../../../src/cli/context.js';
import { createSafeFetcher } from '../../../src/fetch/index.js';
import { createLogger } from '../../../src/obs/logger.js';
import { parseOpml } from '../../../src/feeds/opml.js';
import { pollFeed } from '../../../src/pipeline/poll.js';
import { migrate } from '../../../src/store/migrate.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { startFeedTestEnv, type FeedTestEnv } from './feed-test-env.js';

let env: FeedTestEnv;
let dir: string;
let dbUrl: string;
let out = '';

function context(): CliContext {
  return {
    loadConfig: () => loadConfig({ configDir: dir, env: { DATABASE_URL: dbUrl } }),
    logger: () => createLogger('silent'),
    createFetcher: () => createSafeFetcher({ allowPrivateNetworks: true, userAgent: 'framewatch-test', timeoutMs: 5_000, maxBytes: 1 << 20, maxRedirects: 5 }),
    openDb: async () => {
      const db = await openDatabase({ url: dbUrl, dataDir: '' });
      await migrate(db);
      return db;
    },
    stdout: new Writable({
      write(chunk: Buffer, _enc, cb) {
        out += chunk.toString();
        cb();
      },
    }),
    stdin: process.stdin,
  };
}

async function run(...args: string[]): Promise<string> {
  out = '';
  const program = new Command('framewatch').exitOverride();
  registerFeedsCommand(program, context());
  await program.parseAsync(['node', 'framewatch', ...args]);
  return out;
}

beforeAll(async () => {
  env = await startFeedTestEnv('feeds-cli');
  dir = mkdtempSync(join(tmpdir(), 'fw-feeds-cli-'));
  copyFileSync(new URL('../../../config/framework.yaml', import.meta.url), join(dir, 'framework.yaml'));
  const { rows } = await env.db.query<{ db: string }>('SELECT current_database() AS db');
  const url = new URL(process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${rows[0]?.db ?? ''}`;
  dbUrl = url.toString();
  env.server.route('/feed.xml', (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(readFileSync(new URL('../../fixtures/feeds/nato-news-rss2.xml', import.meta.url))));
  writeFileSync(join(dir, 'feeds.yaml'), `# my feeds\nfeeds:\n  - url: ${env.server.url}/feed.xml\n    name: Loopback NATO\n    tags: [security]\n`);
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await env?.close();
});

describe('framewatch feeds', () => {
  it('import merges an OPML file into feeds.yaml, keeping the comment and skipping known feeds', async () => {
    const opml = join(dir, 'subs.opml');
    writeFileSync(
      opml,
      `<opml version="2.0"><body><outline text="Energy"><outline text="IEA" xmlUrl="https://www.iea.org/api/rss/news"/><outline text="again" xmlUrl="${env.server.url}/feed.xml"/></outline></body></opml>`,
    );
    const report = JSON.parse(await run('feeds', 'import', opml)) as { added: { url: string }[]; skipped: string[] };
    expect(report.added.map((a) => a.url)).toEqual(['https://www.iea.org/api/rss/news']);
    expect(report.skipped).toEqual([`${env.server.url}/feed.xml`]);
    const text = readFileSync(join(dir, 'feeds.yaml'), 'utf8');
    expect(text.startsWith('# my feeds')).toBe(true);
    expect(loadFeedsFile(join(dir, 'feeds.yaml')).map((f) => f.name)).toEqual(['Loopback NATO', 'IEA']);
  });

  it('export prints OPML 2.0 of the configured feeds', async () => {
    const opml = await run('feeds', 'export');
    expect(opml).toContain('<opml version="2.0">');
    expect(parseOpml(opml).map((f) => [f.name, f.tags])).toEqual([
      ['Loopback NATO', ['security']],
      ['IEA', ['Energy']],
    ]);
  });

  it('check fetches and parses one URL and prints what would be ingested, storing nothing', async () => {
    const result = JSON.parse(await run('feeds', 'check', `${env.server.url}/feed.xml`)) as { format: string; charset: string; items: { articleId: string; title: string }[] };
    expect(result.format).toBe('rss');
    expect(result.charset).toBe('utf-8');
    expect(result.items).toHaveLength(2);
    expect(result.items[0]?.articleId).toMatch(/^[0-9a-f]{32}$/);
    const feedId = loadFeedsFile(join(dir, 'feeds.yaml'))[0]?.id ?? '';
    expect(await env.state.get(feedId)).toBeNull();
    await expect(run('feeds', 'check', `${env.server.url}/missing.xml`)).rejects.toThrow(CliError);
    await expect(run('feeds', 'check', `${env.server.url}/missing.xml`)).rejects.toThrow(/permanent: HTTP 404/);
  });

  it('check prints a URL with credentials redacted, as the logs do, also in errors', async () => {
    const withCredentials = `${env.server.url.replace('http://', 'http://reader:s3cr3t-pass@')}/feed.xml`;
    const printed = await run('feeds', 'check', withCredentials).catch((err: unknown) => (err instanceof Error ? err.message : String(err)));
    expect(printed).not.toContain('s3cr3t-pass');
    expect(printed).toContain('redacted');
    const missing = await run('feeds', 'check', withCredentials.replace('/feed.xml', '/missing.xml')).catch((err: unknown) => (err instanceof Error ? err.message : String(err)));
    expect(missing).not.toContain('s3cr3t-pass');
  });

  it('list shows every configured feed with its health', async () => {
    const [feed] = loadFeedsFile(join(dir, 'feeds.yaml'));
    if (!feed) throw new Error('no feed');
    await pollFeed(feed, env.deps());
    const lines = (await run('feeds', 'list', '--json')).trim().split('\n').map((l) => JSON.parse(l) as { name: string; state: string; itemsSeen: number });
    expect(lines.map((l) => [l.name, l.state, l.itemsSeen])).toEqual([
      ['Loopback NATO', 'ok', 2],
      ['IEA', 'new', 0],
    ]);
    const table = await run('feeds', 'list');
    expect(table.split('\n')[0]).toMatch(/^STATE\s+ID\s+ITEMS/);
    expect(table).toContain('ok');
  });
});
