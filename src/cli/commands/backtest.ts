import type { Command } from 'commander';
import { backtest, type BacktestReport } from '../../classifiers/backtest.js';
import { loadClassifier } from '../../classifiers/load-classifier.js';
import { parseDuration } from '../../config/duration.js';
import { ArticleStore } from '../../store/article-store.js';
import { clockOf, UsageError, type CliContext } from '../context.js';

/**
 * `framewatch backtest [--since 30d] [--apply]`: re-classifies stored articles with the current framework
 * and active model and prints, per label, the articles that would gain or lose it; --apply writes the new
 * classifications (the old ones stay in the article's history).
 */
export function registerBacktestCommand(program: Command, ctx: CliContext): void {
  program
    .command('backtest')
    .description('re-classify stored articles with the current framework and model; print gains and losses per label')
    .option('--since <duration>', 'articles of this recent period (e.g. 30d, 12h)', '30d')
    .option('--apply', 'write the new classifications, keeping the old ones in history')
    .option('--model <file>', 'model file instead of the active one')
    .option('--examples <n>', 'examples listed per label and change', '3')
    .option('--json', 'machine-readable output')
    .action(async (opts: { since: string; apply?: boolean; model?: string; examples: string; json?: boolean }) => {
      const ms = parseDuration(opts.since);
      if (ms === null) throw new UsageError(`--since: not a duration: "${opts.since}" (e.g. 30d, 12h)`);
      const examples = Number(opts.examples);
      if (!Number.isInteger(examples) || examples < 0) throw new UsageError(`--examples: expected a whole number, got "${opts.examples}"`);
      const config = ctx.loadConfig();
      const classifier = await loadClassifier(config.framework, { ...(opts.model ? { modelPath: opts.model } : {}), warn: (m, d) => ctx.logger().warn(d, m) });
      const db = await ctx.openDb(config);
      try {
        const report = await backtest(new ArticleStore(db), classifier, { since: new Date(clockOf(ctx).now().getTime() - ms), apply: opts.apply === true, examples });
        ctx.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : `${formatBacktest(report, opts.apply === true)}\n`);
      } finally {
        await db.close();
      }
    });
}

function formatBacktest(r: BacktestReport, applied: boolean): string {
  const lines = [
    `${r.articles} articles (${r.skippedNoText} without text), ${r.changed} would change under framework ${r.framework}, model ${r.model}${applied ? `; ${r.applied} written` : ''}`,
  ];
  for (const l of r.labels) {
    lines.push(`${l.label}: +${l.gained} −${l.lost}`);
    for (const e of l.examples) lines.push(`  ${e.change === 'gained' ? '+' : '−'} ${e.id} ${e.title}${e.score === null ? '' : ` (${e.score})`}`);
  }
  return lines.join('\n');
}
