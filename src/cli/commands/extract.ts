import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import type { ExtractedArticle, FeedItem } from '../../domain/types.js';
import { decodeHtml } from '../../extract/decode-html.js';
import { DOM_ENGINES, type DomEngine } from '../../extract/dom-engine.js';
import { createExtractionPool } from '../../extract/extraction-pool.js';
import { articleFromHtml, extractArticle, isTransientExtractionError, type ExtractDeps } from '../../pipeline/extract.js';
import { httpUrlArg } from '../args.js';
import { CliError, UsageError, type CliContext } from '../context.js';

interface ExtractFlags {
  url?: string;
  file?: string;
  baseUrl?: string;
  engine?: string;
  summary?: string;
}

/**
 * `framewatch extract --url URL | --file FILE [--base-url URL] [--engine linkedom|jsdom] [--summary TEXT]`:
 * runs the extract stage on one page and prints the extracted article as JSON on stdout.
 */
export function registerExtractCommand(program: Command, ctx: CliContext): void {
  program
    .command('extract')
    .description('extract the article from one page (fetched or a local file) and print it as JSON')
    .option('--url <url>', 'fetch the page through the safe fetcher')
    .option('--file <file>', 'read the page from a local HTML file')
    .option('--base-url <url>', 'the page URL links resolve against (with --file)')
    .option('--engine <engine>', `DOM engine: ${DOM_ENGINES.join(' or ')} (default: settings.extract.engine)`)
    .option('--summary <text>', "the feed's summary, for the confidence estimate and as the fallback text")
    .action(async (flags: ExtractFlags) => {
      if (!flags.url === !flags.file) throw new UsageError('give exactly one of --url or --file');
      if (flags.engine && !DOM_ENGINES.includes(flags.engine as DomEngine)) throw new UsageError(`--engine: expected ${DOM_ENGINES.join(' or ')}, got "${flags.engine}"`);
      if (flags.url) httpUrlArg('--url', flags.url);
      if (flags.baseUrl) httpUrlArg('--base-url', flags.baseUrl);
      const config = ctx.loadConfig();
      const engine = (flags.engine as DomEngine | undefined) ?? config.settings.extract.engine;
      // The stage's own thread and time limit: a hostile page is stopped after settings.extract.timeout, as in
      // the service, instead of holding the command for minutes.
      const pool = createExtractionPool({ engine, timeoutMs: config.settings.extract.timeout, threads: 1 });
      const deps = { engine, minConfidence: config.settings.extract.minConfidence, pool };
      const item = feedItemFor(flags.url ?? flags.baseUrl ?? null, flags.summary ?? '');
      try {
        const article = flags.file ? await fromFile(flags.file, flags.baseUrl, item, deps) : await fromUrl(flags.url ?? '', item, { ...deps, fetcher: ctx.createFetcher(config) });
        const refused = PAGE_REFUSED.exec(article.fallbackReason ?? '');
        if (refused) throw new CliError(`the page was refused: ${article.fallbackReason ?? ''}`);
        // The page could not be had (refused address, HTTP error, not HTML) and there is no summary to fall
        // back on: nothing was extracted, which is a failure, not an empty article.
        if (flags.url && article.fallbackReason && article.method !== 'readability' && article.text === '') {
          throw new CliError(`could not extract ${flags.url}: ${describeFallback(article.fallbackReason)}`);
        }
        ctx.stdout.write(`${JSON.stringify(article, null, 2)}\n`);
      } finally {
        await pool.close();
      }
    });
}

/** Extraction failures that mean the page itself was refused (over a limit, or it stopped its thread): exit 1. */
const PAGE_REFUSED = /^(?:too-large|too-deep|timeout|worker-crash): /;

async function fromFile(file: string, baseUrl: string | undefined, item: FeedItem, deps: Omit<ExtractDeps, 'fetcher'>): Promise<ExtractedArticle> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`--file: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : err instanceof Error ? err.message : String(err)}`);
  }
  const pageUrl = baseUrl ?? pathToFileURL(resolve(file)).href;
  return articleFromHtml(decodeHtml(bytes, undefined).html, pageUrl, item, deps);
}

async function fromUrl(url: string, item: FeedItem, deps: ExtractDeps & { fetcher: { close(): Promise<void> } }): Promise<ExtractedArticle> {
  try {
    return await extractArticle({ url, item }, deps);
  } catch (err) {
    if (isTransientExtractionError(err)) throw new CliError(`${err.message} (transient: try again later)`);
    throw err;
  } finally {
    await deps.fetcher.close();
  }
}

/** A fallback reason (`fetch-failed: blocked-address: refused …`) as a sentence, with the fix when there is one. */
function describeFallback(reason: string): string {
  const text = reason.replace(/^fetch-failed: [a-z-]+: /, '').replace(/^http-(\d+)$/, 'the page answered HTTP $1').replace(/^non-html: /, 'not an HTML page: ');
  return /blocked-address/.test(reason) ? `${text} (add --allow-private-networks if that address is meant to be reached)` : text;
}

/** The feed item a single page stands in for: no feed text unless a summary is given. */
function feedItemFor(link: string | null, summary: string): FeedItem {
  return { guid: null, link, title: '', publishedAt: null, summary, contentHtml: null, author: null, categories: [], enclosures: [] };
}
