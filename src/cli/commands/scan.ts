import { createWriteStream, existsSync, renameSync } from 'node:fs';
import type { Command } from 'commander';
import { loadClassifier } from '../../classifiers/index.js';
import { createExtractionPool } from '../../extract/extraction-pool.js';
import { scanOnce, type ScannedArticle } from '../../service/scan-once.js';
import { migrate } from '../../store/migrate.js';
import { PgliteDb } from '../../store/pglite-db.js';
import { CliError, UsageError, type CliContext } from '../context.js';

/** Pages parsed at once by the scan's thread pool; a runaway page is cut off after this long. */
const PAGE_TIMEOUT_MS = 30_000;

/**
 * `framewatch scan --feeds FILE --out FILE.jsonl`: one pass over the feeds in this process, through the
 * same stage functions as the service, with no Redis and no database server. One JSON line per article.
 * Exit 1 when no feed could be read (every feed failed: network, HTTP error, not a feed, refused address);
 * feeds that failed beside others that were read are listed in the summary, and the exit stays 0.
 */
export function registerScanCommand(program: Command, ctx: CliContext): void {
  program
    .command('scan')
    .description('poll the feeds once, extract and classify every article in this process (no Redis, no database server); JSONL out')
    .requiredOption('--feeds <file>', 'feeds file in the format of config/feeds.yaml')
    .option('--out <file>', 'write JSONL here (default: stdout)')
    .action(async (opts: { feeds: string; out?: string }) => {
      if (!existsSync(opts.feeds)) throw new UsageError(`--feeds: ${opts.feeds}: no such file`);
      const config = ctx.loadConfig({ feedsFile: opts.feeds });
      const logger = ctx.logger();
      if (config.feeds.length === 0) throw new UsageError(`${opts.feeds} lists no feeds (expected feeds: with at least one url)`);
      const fetcher = ctx.createFetcher(config);
      const classifier = await loadClassifier(config.framework);
      const db = await PgliteDb.open(null);
      await migrate(db);
      const pool = createExtractionPool({ engine: config.settings.extract.engine, timeoutMs: PAGE_TIMEOUT_MS });
      const tmp = opts.out ? `${opts.out}.partial` : null;
      const out = tmp ? createWriteStream(tmp) : ctx.stdout;
      const tty = process.stderr.isTTY;
      try {
        const report = await scanOnce({
          config,
          feeds: config.feeds,
          fetcher,
          classifier,
          db,
          pool,
          logger,
          onArticle: (article: ScannedArticle) => writeLine(out, JSON.stringify(article)),
          onProgress: (done, total) => {
            if (tty) process.stderr.write(`\rscan: ${done}/${total} articles`);
          },
        });
        if (tty) process.stderr.write('\n');
        if (tmp && opts.out) {
          await new Promise<void>((resolve, reject) => (out as ReturnType<typeof createWriteStream>).end((err?: Error | null) => (err ? reject(err) : resolve())));
          renameSync(tmp, opts.out);
        }
        process.stderr.write(`${JSON.stringify({ scan: 'done', ...report })}\n`);
        const failed = report.feeds.filter((f) => f.status === 'failed');
        if (report.feeds.length > 0 && failed.length === report.feeds.length) {
          const first = failed[0];
          const blocked = failed.some((f) => f.error?.startsWith('blocked:')) ? '; add --allow-private-networks if those addresses are meant to be reached' : '';
          throw new CliError(`every feed failed (${failed.length} of ${report.feeds.length}; ${first?.name}: ${first?.error}), so nothing was scanned; see each feed's error above${blocked}`);
        }
      } finally {
        await pool.close();
        await db.close();
        await fetcher.close();
      }
    });
}

async function writeLine(out: NodeJS.WritableStream, line: string): Promise<void> {
  if (!out.write(`${line}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
}
