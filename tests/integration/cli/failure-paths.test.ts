import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/run-cli.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { createTestDatabase } from '../../helpers/postgres.js';
import { freePort, REPO_ROOT } from '../../helpers/service-process.js';

/**
 * Every command's failure path, as a user meets it: the exit status (1 the work failed, 2 bad configuration
 * or arguments) and one line on stderr that says what failed, why and what to do, with no stack trace.
 * Runs the real CLI in process (its streams and environment given to it); `cli-process.test.ts` checks
 * the same through real processes.
 */
let dir: string;
let site: FixtureServer;
let database: { url: string; drop: () => Promise<void> };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  lines: string[];
}

async function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer, _enc, done) {
        append(chunk.toString('utf8'));
        done();
      },
    });
  const code = await runCli(['node', 'framewatch', ...args], {
    stdout: sink((t) => (stdout += t)),
    stderr: sink((t) => (stderr += t)),
    stdin: new PassThrough(),
    env: { FRAMEWATCH_CONFIG: dir, DATABASE_URL: database.url, LOG_LEVEL: 'silent', FRAMEWATCH_DATA_DIR: join(dir, 'data'), ...env },
  });
  return { code, stdout, stderr, lines: stderr.split('\n').filter(Boolean) };
}

/** The contract: this exit status, one line on stderr matching `message`, no stack trace. */
async function expectFailure(args: string[], code: 1 | 2, message: RegExp, env?: Record<string, string>): Promise<Run> {
  const r = await run(args, env);
  expect({ code: r.code, lines: r.lines }).toEqual({ code, lines: [expect.stringMatching(message)] });
  expect(r.lines[0]).toMatch(/^framewatch: /);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  return r;
}

beforeAll(async () => {
  database = await createTestDatabase('cli-failures');
  site = await startFixtureServer();
  site.route('/page.html', (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><p>not a feed</p></body></html>'));
  dir = mkdtempSync(join(tmpdir(), 'fw-cli-failures-'));
  copyFileSync(join(REPO_ROOT, 'config', 'framework.yaml'), join(dir, 'framework.yaml'));
  writeFileSync(join(dir, 'feeds.yaml'), `feeds:\n  - url: ${site.origin}/feed.xml\n    name: Loopback\n`);
  writeFileSync(
    join(dir, 'alerts.yaml'),
    ['endpoints:', '  - id: analysts', `    url: ${site.origin}/hook`, '    secret: whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'rules:', '  - id: sanctions', '    labels: [targeted-sanctions]', '    endpoints: [analysts]'].join('\n'),
  );
  writeFileSync(join(dir, 'empty.yaml'), 'feeds: []\n');
  writeFileSync(join(dir, 'failing.yaml'), `feeds:\n  - url: ${site.origin}/gone.xml\n    name: Gone\n  - url: ${site.origin}/page.html\n    name: Not a feed\n`);
});

afterAll(async () => {
  await site?.close();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('bad arguments: exit 2, before anything is done', () => {
  it('an unknown command or option, and --log-level loud (as LOG_LEVEL=loud is)', async () => {
    await expectFailure(['nope'], 2, /unknown command 'nope'/);
    await expectFailure(['results', '--colour'], 2, /unknown option '--colour'/);
    await expectFailure(['--log-level', 'loud', 'feeds', 'export'], 2, /argument 'loud' is invalid\. Allowed choices are fatal, error, warn, info, debug, trace, silent/);
    const env = await run(['feeds', 'export'], { LOG_LEVEL: 'loud' });
    expect(env.code).toBe(2);
    expect(env.lines).toEqual(['framewatch: configuration is invalid:', expect.stringMatching(/^ {2}environment: LOG_LEVEL: /)]);
  });

  it('scan: a feeds file that does not exist, or lists no feeds', async () => {
    await expectFailure(['scan', '--feeds', join(dir, 'missing.yaml')], 2, /--feeds: .*missing\.yaml: no such file$/);
    await expectFailure(['scan', '--feeds', join(dir, 'empty.yaml')], 2, /empty\.yaml lists no feeds/);
  });

  it('feeds check and extract --url: a URL that is not http(s)', async () => {
    await expectFailure(['feeds', 'check', 'ftp://files.example.org/feed.xml'], 2, /^framewatch: feeds check: only http and https URLs are fetched, not ftp \(ftp:\/\/files\.example\.org\/feed\.xml\)$/);
    await expectFailure(['extract', '--url', 'notaurl'], 2, /--url: "notaurl" is not a URL/);
    await expectFailure(['extract'], 2, /give exactly one of --url or --file/);
    await expectFailure(['feeds', 'import', join(dir, 'missing.opml')], 2, /cannot read .*missing\.opml: no such file/);
  });

  it('unknown labels, groups, endpoints and rules are named, not answered with nothing', async () => {
    await expectFailure(['results', '--label', 'nope'], 2, /--label: "nope" is not a label of the framework \(labels: .*targeted-sanctions/);
    await expectFailure(['results', '--group', 'nope'], 2, /--group: "nope" is not a group of the framework \(groups: /);
    await expectFailure(['review', 'some-article', '--confirm', 'nope'], 2, /--confirm: "nope" is not a label of the framework/);
    await expectFailure(['deliveries', 'enable', 'nope'], 2, /deliveries enable: "nope" is not an endpoint in .*alerts\.yaml \(endpoints: analysts\)/);
    await expectFailure(['deliveries', 'list', '--endpoint', 'nope'], 2, /--endpoint: "nope" is not an endpoint/);
    await expectFailure(['alerts', 'test', 'nope', '--article', 'x'], 2, /no rule "nope" in .*alerts\.yaml \(rules: sanctions\)/);
  });

  it('flag values that do not parse', async () => {
    await expectFailure(['backtest', '--since', 'soon'], 2, /--since: not a duration: "soon"/);
    await expectFailure(['alerts', 'replay', '--since', 'soon'], 2, /--since: "soon" is neither a duration/);
    await expectFailure(['start', '--stages', 'nope'], 2, /--stages: unknown stage "nope"/);
    await expectFailure(['results', '--min-score', 'high'], 2, /--min-score: /);
  });
});

describe('bad configuration: exit 2, every problem listed with file and line', () => {
  it('PORT=eighty and a bad feeds.yaml: both, and a YAML error ends in a sentence', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'fw-cli-badconfig-'));
    try {
      copyFileSync(join(dir, 'framework.yaml'), join(bad, 'framework.yaml'));
      writeFileSync(join(bad, 'feeds.yaml'), 'feeds:\n  - url: https://example.org/feed\n    interval: soon\n');
      writeFileSync(join(bad, 'alerts.yaml'), 'rules:\n  - id: r\n    labels: [nope\n');
      const r = await run(['feeds', 'export'], { PORT: 'eighty', FRAMEWATCH_CONFIG: bad });
      expect(r.code).toBe(2);
      expect(r.lines[0]).toBe('framewatch: configuration is invalid:');
      expect(r.lines).toContain('  environment: PORT: must be a port number (0 to 65535)');
      expect(r.lines).toContain(`  ${join(bad, 'feeds.yaml')}:3: feeds[0].interval: "soon" is not a duration (examples: 30s, 15m, 2h, 1d)`);
      const yamlLine = r.lines.find((l) => l.includes('alerts.yaml'));
      expect(yamlLine).toMatch(/invalid YAML: .+\(column \d+\)$/);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });
});

describe('the work failed: exit 1', () => {
  it('scan when every feed fails (HTTP 404, an HTML page): exit 1 saying so', async () => {
    await expectFailure(['--allow-private-networks', 'scan', '--feeds', join(dir, 'failing.yaml'), '--out', join(dir, 'out.jsonl')], 1, /^framewatch: every feed failed \(2 of 2; Gone: .*404.*\), so nothing was scanned/);
  }, 90_000);

  it('scan when every feed is a refused address (no --allow-private-networks)', async () => {
    await expectFailure(['scan', '--feeds', join(dir, 'failing.yaml'), '--out', join(dir, 'out.jsonl')], 1, /every feed failed \(2 of 2; Gone: .*refused 127\.0\.0\.1 \(loopback\).*add --allow-private-networks if those addresses are meant to be reached$/);
  }, 90_000);

  it('extract --url and feeds check on a refused (loopback) address say what to do', async () => {
    await expectFailure(['extract', '--url', `${site.origin}/page.html`], 1, /could not extract .*refused 127\.0\.0\.1 \(loopback\).*add --allow-private-networks/);
    await expectFailure(['feeds', 'check', `${site.origin}/page.html`], 1, /refused 127\.0\.0\.1 \(loopback\)/);
    await expectFailure(['--allow-private-networks', 'feeds', 'check', `${site.origin}/gone.xml`], 1, /404/);
  });

  it('a database that does not exist, a refused port, and a record that does not exist', async () => {
    const missing = new URL(database.url);
    missing.pathname = '/fwtest_cli_no_such_database';
    await expectFailure(['results'], 1, /database "fwtest_cli_no_such_database" does not exist; create it \(createdb /, { DATABASE_URL: missing.toString() });
    await expectFailure(['migrate'], 1, /does not exist; create it/, { DATABASE_URL: missing.toString() });
    const port = await freePort();
    await expectFailure(['deliveries', 'list'], 1, new RegExp(`refused the connection \\(nothing listens on 127\\.0\\.0\\.1:${port}\\); start PostgreSQL or fix DATABASE_URL`), { DATABASE_URL: `postgres://fw@127.0.0.1:${port}/fw` });
    await expectFailure(['deliveries', 'replay', 'some-delivery'], 1, new RegExp(`^framewatch: Redis at redis://127\\.0\\.0\\.1:${port}/? is unreachable \\(.*\\); start Redis or fix REDIS_URL$`), { REDIS_URL: `redis://127.0.0.1:${port}` });
    await expectFailure(['review', 'no-such-article', '--confirm', 'targeted-sanctions'], 1, /no article no-such-article/);
    await expectFailure(['alerts', 'test', 'sanctions', '--article', 'no-such-article'], 1, /no stored article no-such-article/);
  });
});

describe('success says what it did', () => {
  it('deliveries enable on a known endpoint that was not disabled: enabled, and nothing changed', async () => {
    const r = await run(['deliveries', 'enable', 'analysts']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ endpoint: 'analysts', enabled: true, wasDisabled: false });
  });
});

describe('--log-level debug', () => {
  it('adds the stack trace after the sentence', async () => {
    const port = await freePort();
    const r = await run(['--log-level', 'debug', 'results'], { DATABASE_URL: `postgres://fw@127.0.0.1:${port}/fw` });
    expect(r.code).toBe(1);
    expect(r.lines[0]).toMatch(/^framewatch: PostgreSQL at .* refused the connection/);
    expect(r.stderr).toMatch(/^\s+at /m);
  });
});
