import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { Command, Option } from 'commander';
import { z } from 'zod';
import { articleFilterFields, toArticleQuery } from '../../http/article-schemas.js';
import { ArticleStore } from '../../store/article-store.js';
import { frameworkGroupsArg, frameworkLabelsArg } from '../args.js';
import { UsageError, type CliContext } from '../context.js';
import { RESULTS_FORMATS, writeResults, type ResultsFormat } from './results-format.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').filter(Boolean)];

interface ResultsOptions {
  label?: string[];
  labelMode?: string;
  group?: string[];
  feed?: string[];
  since?: string;
  until?: string;
  minScore?: string;
  review?: string[];
  direction?: string[];
  lang?: string[];
  needsReview?: string;
  tagged?: string;
  q?: string;
  sort?: string;
  format: ResultsFormat;
  out?: string;
}

/** The same filters as `GET /api/articles`, validated by the same schema. */
const filterSchema = z.strictObject(articleFilterFields);

/** Progress on stderr when it is a terminal: count, total and rate, redrawn at most five times a second. */
function progress(total: number): { tick: (n: number) => void; done: (n: number) => void } {
  if (!process.stderr.isTTY) return { tick: () => undefined, done: () => undefined };
  // A stopwatch for the rate, not a time of day: performance.now(), not the Clock.
  const started = performance.now();
  let last = 0;
  const draw = (n: number): void => {
    const width = 30;
    const share = total > 0 ? Math.min(n / total, 1) : 1;
    const filled = Math.round(share * width);
    const rate = n / Math.max((performance.now() - started) / 1000, 0.001);
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${n}/${total} ${Math.round(rate)}/s `);
  };
  return {
    tick: (n) => {
      if (performance.now() - last < 200) return;
      last = performance.now();
      draw(n);
    },
    done: (n) => {
      draw(n);
      process.stderr.write('\n');
    },
  };
}

/**
 * `framewatch results [filters] --format json|jsonl|jsonfeed|csv [--out FILE]`: streams stored results page
 * by page (constant memory); with --out the file appears only when complete.
 */
export function registerResultsCommand(program: Command, ctx: CliContext): void {
  program
    .command('results')
    .description('export stored results with the API filters, streaming in constant memory')
    .option('--label <id>', 'label id (repeatable or comma-separated)', collect)
    .addOption(new Option('--label-mode <mode>', 'articles need any or all of the labels').choices(['any', 'all']))
    .option('--group <id>', 'group id (repeatable)', collect)
    .option('--feed <id-or-name>', 'feed the article was seen in (repeatable)', collect)
    .option('--since <date>', 'ISO date or date-time, inclusive')
    .option('--until <date>', 'ISO date or date-time, exclusive')
    .option('--min-score <n>', 'minimum score of the matching label (0..1)')
    .option('--review <state>', 'unreviewed, confirmed or rejected (repeatable)', collect)
    .option('--direction <d>', 'sanctions direction: imposed, tightened, eased, lifted, unclear (repeatable)', collect)
    .option('--lang <code>', 'language (repeatable)', collect)
    .option('--needs-review <yes-or-no>', 'only articles flagged for review (true) or not (false)')
    .option('--tagged <true-or-false>', 'only articles with at least one label (true) or none (false)')
    .option('--q <text>', 'full-text search over title and text')
    .addOption(new Option('--sort <by>', 'order').choices(['time', 'score']))
    .addOption(new Option('--format <format>', 'output format').choices(RESULTS_FORMATS).default('jsonl'))
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (opts: ResultsOptions) => {
      const parsed = filterSchema.safeParse(
        Object.fromEntries(
          Object.entries({
            label: opts.label,
            labelMode: opts.labelMode,
            group: opts.group,
            feed: opts.feed,
            since: opts.since,
            until: opts.until,
            minScore: opts.minScore,
            review: opts.review,
            direction: opts.direction,
            lang: opts.lang,
            needsReview: opts.needsReview,
            tagged: opts.tagged,
            q: opts.q,
            sort: opts.sort,
          }).filter(([, v]) => v !== undefined),
        ),
      );
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new UsageError(`--${String(issue?.path[0] ?? 'filter').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${issue?.message ?? 'invalid'}`);
      }
      const config = ctx.loadConfig();
      // As the API: an unknown label or group is an error, not an empty result.
      frameworkLabelsArg('--label', config.framework, parsed.data.label);
      frameworkGroupsArg('--group', config.framework, parsed.data.group);
      const db = await ctx.openDb(config);
      const articles = new ArticleStore(db);
      const query = toArticleQuery(parsed.data);
      const partial = opts.out ? `${opts.out}.partial` : null;
      const file: WriteStream | null = partial ? createWriteStream(partial) : null;
      const out = file ?? ctx.stdout;
      try {
        const bar = progress(process.stderr.isTTY ? await articles.countArticles(query) : 0);
        const n = await writeResults(articles.streamArticles(query), out, {
          format: opts.format,
          publicUrl: config.publicUrl,
          title: `framewatch results (${config.framework.name})`,
          onItem: bar.tick,
        });
        bar.done(n);
        if (file && partial && opts.out) {
          file.end();
          await finished(file);
          await rename(partial, opts.out);
        }
      } catch (err) {
        file?.destroy();
        if (partial) await rm(partial, { force: true });
        // The reader stopped early (`results | head`): what it wanted was written.
        if ((err as NodeJS.ErrnoException).code === 'EPIPE') return;
        throw err;
      } finally {
        await db.close();
      }
    });
}
