import type { Command } from 'commander';
import { ArticleStore } from '../../store/article-store.js';
import { ReviewError, type LabelVerdict } from '../../store/record-review.js';
import { frameworkLabelsArg } from '../args.js';
import { CliError, UsageError, type CliContext } from '../context.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').filter(Boolean)];

/**
 * `framewatch review ID [--confirm L] [--reject L] [--add L] [--note TEXT] [--reviewer NAME]`: the same verdicts
 * as `POST /api/articles/:id/review`, from a terminal; prints the updated labels as JSON.
 */
export function registerReviewCommand(program: Command, ctx: CliContext): void {
  program
    .command('review')
    .description('confirm, reject or add labels on a stored article')
    .argument('<id>', 'article id')
    .option('--confirm <label>', 'label the classifier got right (repeatable or comma-separated)', collect)
    .option('--reject <label>', 'label the classifier got wrong (repeatable)', collect)
    .option('--add <label>', 'label the classifier missed (repeatable)', collect)
    .option('--note <text>', 'why')
    .option('--reviewer <name>', 'who')
    .action(async (id: string, opts: { confirm?: string[]; reject?: string[]; add?: string[]; note?: string; reviewer?: string }) => {
      const config = ctx.loadConfig();
      const groupsOf = new Map(config.framework.labels.map((l) => [l.id, l.groups]));
      const verdicts: LabelVerdict[] = [
        ...(opts.confirm ?? []).map((label) => ({ label, verdict: 'confirm' as const })),
        ...(opts.reject ?? []).map((label) => ({ label, verdict: 'reject' as const })),
        ...(opts.add ?? []).map((label) => ({ label, verdict: 'add' as const, groups: groupsOf.get(label) ?? [] })),
      ];
      if (verdicts.length === 0) throw new UsageError('give at least one --confirm, --reject or --add');
      frameworkLabelsArg('--confirm', config.framework, opts.confirm);
      frameworkLabelsArg('--reject', config.framework, opts.reject);
      frameworkLabelsArg('--add', config.framework, opts.add);
      const db = await ctx.openDb(config);
      try {
        const record = await new ArticleStore(db).recordReview({ articleId: id, verdicts, note: opts.note ?? null, reviewer: opts.reviewer ?? null });
        if (!record) throw new CliError(`no article ${id}`);
        ctx.stdout.write(`${JSON.stringify({ id: record.id, labels: record.labels.map((l) => ({ id: l.id, score: l.score, review: l.review, source: l.source })) })}\n`);
      } catch (err) {
        if (err instanceof ReviewError) throw new UsageError(`article ${id}: ${err.message}`);
        throw err;
      } finally {
        await db.close();
      }
    });
}
