import type { Command } from 'commander';
import { attemptsFor } from '../../alerts/retry-schedule.js';
import { explainRule } from '../../alerts/rule-matcher.js';
import { compileRuleSet } from '../../alerts/rule-set.js';
import type { AppConfig } from '../../config/load-config.js';
import { handOnAlerts } from '../../pipeline/alert.js';
import { replayAlerts } from '../../pipeline/replay-alerts.js';
import { pgAlertStorage } from '../../store/alert-storage.js';
import { ArticleStore } from '../../store/article-store.js';
import { clockOf, CliError, UsageError, type CliContext } from '../context.js';
import { parseSince, withDb, withQueues } from './deliveries.js';

/** Feed tags from feeds.yaml, for rules that filter on them. */
function feedTagsOf(config: AppConfig): { feedTags: (feedId: string) => string[] } {
  const tags = new Map(config.feeds.map((f) => [f.id, f.tags]));
  return { feedTags: (id) => tags.get(id) ?? [] };
}

/**
 * `framewatch alerts test RULE --article ID` (whether and why a rule matches a stored article) and
 * `framewatch alerts replay --since 24h` (re-run the rules over stored articles; decisions and delivery
 * ids are stable, so nothing is sent twice; new deliveries are queued for the running deliver workers).
 */
export function registerAlertsCommand(program: Command, ctx: CliContext): void {
  const cmd = program.command('alerts').description('alert rules: test one against an article, replay over stored articles');

  cmd
    .command('test')
    .description('show whether and why RULE matches a stored article (JSON)')
    .argument('<rule>', 'rule id from alerts.yaml')
    .requiredOption('--article <id>', 'stored article id')
    .action(async (ruleId: string, opts: { article: string }) => {
      const config = ctx.loadConfig();
      const compiled = compileRuleSet(config.alerts).rules.find((r) => r.rule.id === ruleId);
      if (!compiled) throw new UsageError(`no rule "${ruleId}" in ${config.files.alerts} (rules: ${config.alerts.rules.map((r) => r.id).join(', ') || 'none'})`);
      const article = await withDb(ctx, config, (db) => new ArticleStore(db).getArticle(opts.article));
      if (!article) throw new CliError(`no stored article ${opts.article}`);
      const explanation = explainRule(compiled, article, feedTagsOf(config));
      ctx.stdout.write(`${JSON.stringify({ ...explanation, article: { id: article.id, title: article.title, url: article.canonicalUrl } }, null, 2)}\n`);
    });

  cmd
    .command('replay')
    .description('re-run the rules over articles stored since --since; queue the deliveries not sent yet')
    .requiredOption('--since <when>', 'articles stored (or updated) since then, whatever their publication date (24h, 7d or an ISO date)')
    .action(async (opts: { since: string }) => {
      const config = ctx.loadConfig();
      const clock = clockOf(ctx);
      const since = parseSince(opts.since, clock.now());
      const summary = await withDb(ctx, config, async (db) => {
        const set = compileRuleSet(config.alerts);
        return replayAlerts(new ArticleStore(db), { storage: pgAlertStorage(db), rules: () => set, clock, publicUrl: config.publicUrl, match: feedTagsOf(config) }, since);
      });
      await withQueues(config, (queues) =>
        handOnAlerts(summary, { enqueue: queues.enqueue, clock, deliveryAttempts: attemptsFor(config.settings.alerts.retrySchedule) }),
      );
      const digests = [...new Set(summary.digests.map((d) => `${d.ruleId}@${d.windowStart}`))];
      ctx.stdout.write(`${JSON.stringify({ since: since.toISOString(), articles: summary.articles, matched: summary.matched, outcomes: summary.outcomes, queued: summary.deliveries.length, digests })}\n`);
    });
}
