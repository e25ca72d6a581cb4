import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import type { FeedItem } from '../../domain/types.js';
import { decodeHtml } from '../../extract/decode-html.js';
import { DOM_ENGINES, type DomEngine } from '../../extract/dom-engine.js';
import { articleFromHtml, extractArticle, isTransientExtractionError } from '../../pipeline/extract.js';
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
      const deps = { engine, minConfidence: config.settings.extract.minConfidence };
      const item = feedItemFor(flags.url ?? flags.baseUrl ?? null, flags.summary ?? '');

      if (flags.file) {
        let bytes: Buffer;
        try {
          bytes = readFileSync(flags.file);
        } catch (err) {
          throw new CliError(`--file: cannot read ${flags.file}: ${err instanceof Error ? err.message : String(err)}`);
        }
        const pageUrl = flags.baseUrl ?? pathToFileURL(resolve(flags.file)).href;
        const article = await articleFromHtml(decodeHtml(bytes, undefined).html, pageUrl, item, deps);
        ctx.stdout.write(`${JSON.stringify(article, null, 2)}\n`);
        return;
      }

      const fetcher = ctx.createFetcher(config);
      try {
        const article = await extractArticle({ url: flags.url ?? '', item }, { ...deps, fetcher });
        // The page could not be had (refused address, HTTP error, not HTML) and there is no summary to fall
        // back on: nothing was extracted, which is a failure, not an empty article.
        if (article.fallbackReason && article.method !== 'readability' && article.text === '') {
          throw new CliError(`could not extract ${flags.url}: ${describeFallback(article.fallbackReason)}`);
        }
        ctx.stdout.write(`${JSON.stringify(article, null, 2)}\n`);
      } catch (err) {
        if (isTransientExtractionError(err)) throw new CliError(`${err.message} (transient: try again later)`);
        throw err;
      } finally {
        if ('close' in fetcher && typeof fetcher.close === 'function') await (fetcher.close as () => Promise<void>)();
      }
    });
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
