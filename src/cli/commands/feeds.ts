import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { FeedConfig } from '../../domain/types.js';
import { FetchError } from '../../fetch/fetch-error.js';
import { articleIdFor, canonicalUrlForItem } from '../../feeds/canonical-url.js';
import { decodeFeedBody } from '../../feeds/charset.js';
import { errorForException, errorForResponse, isBotWall } from '../../feeds/failure.js';
import { FeedParseError } from '../../feeds/feed-parse-error.js';
import { mergeFeedsYaml } from '../../feeds/feeds-yaml.js';
import { parseOpml, toOpml } from '../../feeds/opml.js';
import { parseFeed } from '../../feeds/parse-feed.js';
import { feedRequestHeaders } from '../../feeds/request-headers.js';
import { sniffFormat } from '../../feeds/sniff.js';
import { redactedHealth } from '../../feeds/redacted-health.js';
import { redactUrl, scrubCredentialsInText, scrubUrlCredentials } from '../../obs/logger.js';
import { healthOf, initialFeedState } from '../../feeds/feed-state.js';
import { FeedStateStore } from '../../store/feed-state-store.js';
import { httpUrlArg } from '../args.js';
import { clockOf, CliError, UsageError, type CliContext } from '../context.js';

/**
 * `framewatch feeds import FILE.opml | export | list [--json] | check URL`: manage the subscriptions in
 * config/feeds.yaml and look at their health. Output on stdout only; problems as CliError.
 */
export function registerFeedsCommand(program: Command, ctx: CliContext): void {
  const feeds = program.command('feeds').description('manage feeds: import/export OPML, list with health, check one URL');

  feeds
    .command('import')
    .description('add the feeds of an OPML file to config/feeds.yaml (comments and existing entries kept)')
    .argument('<file>', 'OPML file')
    .option('--feeds-file <file>', 'the feeds file to change (default: the config folder\'s feeds.yaml)')
    .option('--dry-run', 'print what would be added without writing')
    .action((file: string, flags: { feedsFile?: string; dryRun?: boolean }) => {
      const target = flags.feedsFile ?? ctx.loadConfig().files.feeds;
      let opml: string;
      try {
        opml = readFileSync(file, 'utf8');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new UsageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
      }
      let entries;
      try {
        entries = parseOpml(opml);
      } catch (err) {
        throw new UsageError(`${file}: ${(err as Error).message}`);
      }
      const existing = existsSync(target) ? readFileSync(target, 'utf8') : '';
      let merged;
      try {
        merged = mergeFeedsYaml(existing, entries);
      } catch (err) {
        throw new UsageError(`${target}: ${(err as Error).message}`);
      }
      if (!flags.dryRun && merged.added.length > 0) {
        // Write then rename, so a running service watching the file never reads half of it.
        writeFileSync(`${target}.tmp`, merged.text);
        renameSync(`${target}.tmp`, target);
      }
      ctx.stdout.write(`${JSON.stringify({ file: target, dryRun: Boolean(flags.dryRun), added: merged.added, skipped: merged.skipped.map((f) => f.url) }, null, 2)}\n`);
    });

  feeds
    .command('export')
    .description('print the configured feeds as OPML 2.0')
    .action(() => {
      ctx.stdout.write(toOpml(ctx.loadConfig().feeds, { now: clockOf(ctx).now() }));
    });

  feeds
    .command('list')
    .description('list the configured feeds with their health')
    .option('--json', 'one JSON object per line instead of a table')
    .action(async (flags: { json?: boolean }) => {
      const config = ctx.loadConfig();
      const db = await ctx.openDb(config);
      try {
        const states = await new FeedStateStore(db).list(config.feeds.map((f) => f.id));
        // Credentials in a feed URL stay in feeds.yaml: shown redacted, as the logs show them.
        const rows = config.feeds.map((f) => ({ id: f.id, name: f.name, url: redactUrl(f.url), ...redactedHealth(healthOf(states.get(f.id) ?? initialFeedState(f.id, f.url))) }));
        if (flags.json) {
          for (const r of rows) ctx.stdout.write(`${JSON.stringify(r)}\n`);
          return;
        }
        ctx.stdout.write(table(rows.map((r) => [r.state, r.id, String(r.itemsSeen), r.lastSuccessAt ?? '-', r.lastError ? `${r.lastError.class}: ${r.lastError.message}` : '-', r.nextPollAt ?? '-'])));
      } finally {
        await db.close();
      }
    });

  feeds
    .command('check')
    .description('fetch and parse one feed URL and print what would be ingested, without storing anything')
    .argument('<url>', 'feed URL')
    .action(async (url: string) => {
      httpUrlArg('feeds check', url);
      const config = ctx.loadConfig();
      // A configured feed is checked with its own request options (User-Agent, cookies, proxy…).
      const configured = config.feeds.find((f) => f.url === url);
      const feed: FeedConfig = configured ?? { id: 'check', url, name: url, intervalMs: 0, tags: [], request: {} };
      const fetcher = ctx.createFetcher(config);
      try {
        const res = await fetcher.fetch(url, { headers: feedRequestHeaders(feed, { etag: null, lastModified: null }, false), ...(feed.request.proxy ? { proxy: feed.request.proxy } : {}) });
        if (res.status < 200 || res.status >= 300) {
          const e = errorForResponse(res.status, res.headers, res.body);
          throw new CliError(scrubCredentialsInText(`${e.class}: ${e.message}`));
        }
        let parsed;
        try {
          parsed = parseFeed(res.body, { url: res.finalUrl, contentType: res.headers['content-type'] ?? null });
        } catch (err) {
          // A challenge page served with 200 is a bot wall, as the poll stage records it.
          if (err instanceof FeedParseError && err.code === 'html-page' && isBotWall(res.status, res.headers, res.body)) {
            const e = errorForResponse(403, res.headers, res.body);
            throw new CliError(scrubCredentialsInText(`${e.class}: ${e.message.replace(/^HTTP 403/, `HTTP ${res.status}`)}`));
          }
          throw err;
        }
        const sniffed = sniffFormat(res.body);
        const charset = sniffed === 'jsonfeed' ? 'utf-8' : decodeFeedBody(res.body, res.headers['content-type']).charset;
        const items = parsed.items.map((item) => {
          const canonicalUrl = canonicalUrlForItem(item, feed.id);
          return { articleId: articleIdFor(canonicalUrl), canonicalUrl, ...item };
        });
        ctx.stdout.write(
          `${JSON.stringify(scrubUrlCredentials({ url: redactUrl(url), finalUrl: redactUrl(res.finalUrl), status: res.status, contentType: res.headers['content-type'] ?? null, charset, format: parsed.format, title: parsed.title, link: parsed.link, ttlMs: parsed.ttlMs ?? null, updatePeriodMs: parsed.updatePeriodMs ?? null, items }), null, 2)}\n`,
        );
      } catch (err) {
        if (err instanceof FetchError || err instanceof FeedParseError) {
          const e = errorForException(err);
          throw new CliError(scrubCredentialsInText(`${e.class}: ${e.message}`));
        }
        throw err;
      } finally {
        await (fetcher as { close?: () => Promise<void> }).close?.();
      }
    });
}

function table(rows: string[][]): string {
  const header = ['STATE', 'ID', 'ITEMS', 'LAST SUCCESS', 'LAST ERROR', 'NEXT POLL'];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.min(60, all.reduce((max, r) => Math.max(max, (r[i] ?? '').length), 0)));
  return `${all.map((r) => r.map((c, i) => (c.length > 60 ? `${c.slice(0, 59)}…` : c).padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n')}\n`;
}
