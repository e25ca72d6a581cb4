import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { registerExtractCommand } from '../../../src/cli/commands/extract.js';
import { CliError, type CliContext } from '../../../src/cli/context.js';
import { createCliContext } from '../../../src/cli/create-context.js';
import type { ExtractedArticle } from '../../../src/domain/types.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { REPO_ROOT, spawnFramewatch } from '../../helpers/service-process.js';
import { fixtureText, PAGES_DIR } from '../../unit/extract/fixture-pages.js';

/** Runs `framewatch [global flags] extract ...` in process with the real CLI context; returns stdout. */
async function run(args: string[]): Promise<string> {
  let out = '';
  const program = new Command().exitOverride().option('--config <dir>').option('--allow-private-networks');
  const real = createCliContext(() => program.opts());
  const ctx: CliContext = {
    ...real,
    stdout: new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString('utf8');
        done();
      },
    }),
  };
  registerExtractCommand(program, ctx);
  await program.parseAsync(['node', 'framewatch', ...args]);
  return out;
}

let server: FixtureServer;
let tinyTimeoutConfig: string;
beforeAll(async () => {
  server = await startFixtureServer();
  server.route('/paywall', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(fixtureText('paywall.html'));
  });
  // 600 KB: what the probe sent. Every <div/> opens a div in HTML, so this nests 100,000 deep.
  server.route('/divs', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><body>${'<div/>'.repeat(100_000)}text</body></html>`);
  });
  // A config whose extraction time limit no page can meet: shows the command runs under that limit.
  tinyTimeoutConfig = mkdtempSync(join(tmpdir(), 'fw-extract-timeout-'));
  copyFileSync(join(REPO_ROOT, 'config', 'framework.yaml'), join(tinyTimeoutConfig, 'framework.yaml'));
  writeFileSync(join(tinyTimeoutConfig, 'settings.yaml'), 'extract:\n  timeout: 1ms\n');
});
afterAll(async () => {
  await server.close();
  rmSync(tinyTimeoutConfig, { recursive: true, force: true });
});

describe('framewatch extract', () => {
  it('--file prints the extracted article as JSON', async () => {
    const out = await run(['extract', '--file', `${PAGES_DIR}/calc-css.html`, '--base-url', 'https://grid.example/winter', '--engine', 'linkedom']);
    const article = JSON.parse(out) as ExtractedArticle;
    expect(article.method).toBe('readability');
    expect(article.text).toMatch(/^Electricity grid operators/);
    expect(article.title).toBe('Grid operators brace for winter demand');
    expect(article.lang).toBe('en');
  });

  it('--file with jsdom records the DOM error instead of crashing', async () => {
    const article = JSON.parse(await run(['extract', '--file', `${PAGES_DIR}/calc-css.html`, '--engine', 'jsdom', '--summary', 'Grid operators warn of thin winter margins.'])) as ExtractedArticle;
    expect(article.method).toBe('feed-summary');
    expect(article.flags).toContain('dom-error');
    expect(article.text).toBe('Grid operators warn of thin winter margins.');
  });

  it('--url fetches through the safe fetcher (loopback allowed by the global flag)', async () => {
    const article = JSON.parse(await run(['--allow-private-networks', 'extract', '--url', `${server.url}/paywall`])) as ExtractedArticle;
    expect(article.flags).toContain('paywall');
    expect(article.byline).toBe('Ana Ruiz');
  });

  it('--url to loopback is refused without the opt-in: a failure saying why and what to do, not an empty article', async () => {
    await expect(run(['extract', '--url', `${server.url}/paywall`])).rejects.toThrow(/could not extract .*refused 127\.0\.0\.1 \(loopback\).*--allow-private-networks/);
  });

  it('--url refused but with --summary: the summary stands in, as in the stage, and the fetch failure is recorded', async () => {
    const article = JSON.parse(await run(['extract', '--url', `${server.url}/paywall`, '--summary', 'Grid operators warn of thin winter margins.'])) as ExtractedArticle;
    expect(article.flags).toEqual(expect.arrayContaining(['fetch-failed', 'blocked-address']));
    expect(article.text).toBe('Grid operators warn of thin winter margins.');
  });

  it('rejects both or neither of --url and --file, and an unknown engine', async () => {
    await expect(run(['extract'])).rejects.toThrow(/exactly one of --url or --file/);
    await expect(run(['extract', '--file', 'x.html', '--engine', 'chrome'])).rejects.toThrow(/--engine/);
  });

  it('--url of 100,000 <div/> ends at once with a clear error and exit 1 (nested too deep)', async () => {
    const cli = spawnFramewatch(['--allow-private-networks', 'extract', '--url', `${server.url}/divs`], { LOG_LEVEL: 'silent' });
    onTestFinished(() => void cli.stop(1_000));
    const { code } = await cli.exited;
    expect(code).toBe(1);
    expect(cli.stdout.join('')).toBe('');
    expect(cli.logs.join('\n')).toMatch(/framewatch: the page was refused: too-deep: elements nested more than 800 deep/);
  });

  it("--file runs under the stage's time limit (settings.extract.timeout) and fails with exit 1 when it is passed", async () => {
    const err = await run(['--config', tinyTimeoutConfig, 'extract', '--file', `${PAGES_DIR}/calc-css.html`]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(1);
    expect((err as CliError).message).toMatch(/^the page was refused: timeout: extraction took longer than 1 ms/);
  });
});
