import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { TEST_PG_ADMIN_URL } from '../helpers/postgres.js';
import { REPO_ROOT, spawnFramewatch } from '../helpers/service-process.js';

/**
 * The failure contract through real processes, as a shell sees it: the exit status, what is on stderr
 * (one clear line, no stack trace) and nothing on stdout. tests/integration/cli/failure-paths.test.ts covers
 * every command in process; these check the wiring from bin/framewatch.js to the exit status.
 */
let dir: string;
let site: FixtureServer;

async function framewatch(args: string[], env: Record<string, string> = {}) {
  const p = spawnFramewatch(args, { FRAMEWATCH_CONFIG: dir, FRAMEWATCH_DATA_DIR: join(dir, 'data'), ...env });
  const { code } = await p.exited;
  return { code, stderr: p.logs.filter(Boolean), stdout: p.stdout.join('') };
}

beforeAll(async () => {
  site = await startFixtureServer();
  dir = mkdtempSync(join(tmpdir(), 'fw-cli-process-'));
  copyFileSync(join(REPO_ROOT, 'config', 'framework.yaml'), join(dir, 'framework.yaml'));
  writeFileSync(join(dir, 'gone.yaml'), `feeds:\n  - url: ${site.origin}/gone.xml\n    name: Gone\n`);
});

afterAll(async () => {
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('framewatch as a process', () => {
  it('--log-level loud: status 2, one line', async () => {
    const r = await framewatch(['--log-level', 'loud', 'feeds', 'export']);
    expect(r).toEqual({ code: 2, stderr: [expect.stringMatching(/^framewatch: option '--log-level <level>' argument 'loud' is invalid/)], stdout: '' });
  }, 60_000);

  it('a database that does not exist: status 1, one line saying how to create it, no stack', async () => {
    const url = new URL(TEST_PG_ADMIN_URL);
    url.pathname = '/fwtest_process_no_such_database';
    const r = await framewatch(['results'], { DATABASE_URL: url.toString() });
    expect(r).toEqual({ code: 1, stderr: [expect.stringMatching(/^framewatch: PostgreSQL at .*database "fwtest_process_no_such_database" does not exist; create it/)], stdout: '' });
  }, 60_000);

  it('scan when every feed fails: status 1, the last line says so, no stack anywhere', async () => {
    const r = await framewatch(['--allow-private-networks', 'scan', '--feeds', join(dir, 'gone.yaml')], { LOG_LEVEL: 'warn' });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.at(-1)).toMatch(/^framewatch: every feed failed \(1 of 1; Gone: permanent: HTTP 404/);
    expect(r.stderr.join('\n')).not.toMatch(/^\s+at |"stack"/m);
  }, 120_000);
});
