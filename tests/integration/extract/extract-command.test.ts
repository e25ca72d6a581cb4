import { Writable } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerExtractCommand } from '../../../src/cli/commands/extract.js';
import type { CliContext } from '../../../src/cli/context.js';
import { createCliContext } from '../../../src/cli/create-context.js';
import type { ExtractedArticle } from '../../../src/domain/types.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
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
beforeAll(async () => {
  server = await startFixtureServer();
  server.route('/paywall', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(fixtureText('paywall.html'));
  });
});
afterAll(async () => {
  await server.close();
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
});
