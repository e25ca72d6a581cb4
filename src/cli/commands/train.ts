import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { readDataset, type LabelledExample } from '../../classifiers/dataset.js';
import { formatLanguageTable, type EvaluationReport } from '../../classifiers/metrics.js';
import { defaultDevDataset, packageRoot, shippedTrainingFiles } from '../../classifiers/model-registry.js';
import { reviewedExamples } from '../../classifiers/review-examples.js';
import { runTraining, type TrainingRun } from '../../classifiers/training-run.js';
import { ArticleStore } from '../../store/article-store.js';
import { clockOf, CliError, type CliContext } from '../context.js';

interface TrainCliOptions {
  dataset?: string[];
  includeReviews?: boolean;
  seed: string;
  folds: string;
  activate: boolean;
  modelsDir?: string;
  json?: boolean;
}

/**
 * `framewatch train [--dataset FILE]... [--include-reviews]`: trains on the framework's own texts, the
 * datasets (default: the shared dev set and the shipped corpus in data/training/) and, with --include-reviews, reviewed articles from the database;
 * saves the model under its content hash in models/, activates it, and prints its cross-validated scores
 * next to the previous active model's.
 */
export function registerTrainCommand(program: Command, ctx: CliContext): void {
  program
    .command('train')
    .description('train, save and activate a new model version; prints its cross-validated scores next to the previous version')
    .option('--dataset <file>', 'labelled JSONL (repeatable; default ../shared/data/classification-dev/articles.jsonl and data/training/*.jsonl)', (v: string, p: string[] = []) => [...p, v])
    .option('--include-reviews', 'add reviewed articles from the database')
    .option('--seed <n>', 'seed of the fold assignment', '1')
    .option('--folds <k>', 'folds of the cross-validation report', '5')
    .option('--no-activate', 'save the model without making it active')
    .option('--models-dir <dir>', 'models folder (default: the package models/)')
    .option('--json', 'machine-readable output')
    .action(async (opts: TrainCliOptions) => {
      const config = ctx.loadConfig();
      const files = opts.dataset ?? [defaultDevDataset(), ...shippedTrainingFiles()];
      const examples: LabelledExample[] = [];
      for (const f of files) {
        try {
          // One by one: a spread's arguments go on the call stack, and a dataset can be long.
          for (const example of readDataset(f)) examples.push(example);
        } catch (err) {
          throw new CliError((err as Error).message);
        }
      }
      if (opts.includeReviews) {
        const db = await ctx.openDb(config);
        try {
          for (const example of await reviewedExamples(new ArticleStore(db))) examples.push(example);
        } finally {
          await db.close();
        }
      }
      if (examples.length < 10) throw new CliError(`only ${examples.length} labelled examples; need at least 10 to train and cross-validate`);
      const run = runTraining(config.framework, examples, {
        seed: Number(opts.seed),
        outerFolds: Number(opts.folds),
        activate: opts.activate,
        now: clockOf(ctx).now(),
        ...(opts.modelsDir ? { modelsDir: opts.modelsDir } : {}),
        // Recorded relative to the package root: the model file (and so its version) must not depend on the machine.
        datasets: [...files.map((f) => relative(packageRoot(), resolve(f))), ...(opts.includeReviews ? ['reviews'] : [])],
      });
      ctx.logger().info({ model: run.version, examples: examples.length, activated: run.activated }, 'model trained');
      ctx.stdout.write(opts.json ? `${JSON.stringify(run)}\n` : `${formatRun(run, examples.length)}\n`);
    });
}

function formatRun(run: TrainingRun, examples: number): string {
  const prev = run.previous?.report ?? null;
  const f = (r: EvaluationReport | null, pick: (r: EvaluationReport) => number): string => (r ? pick(r).toFixed(3) : '  n/a');
  const lines = [
    `model ${run.version} (${run.activated ? 'active' : 'saved, not active'}), ${examples} examples; cross-validated F1, previous ${run.previous?.version ?? 'none'} → new`,
  ];
  // Each report scores the articles its own model was trained on: after the training data changed, the two
  // columns measure different sets, and a lower figure may only mean harder articles were added.
  if (prev && prev.articles !== run.report.articles) {
    lines.push(`(previous scored on ${prev.articles} articles, new on ${run.report.articles}: compare both on one file with \`framewatch eval --dataset FILE --folds 5\`)`);
  }
  for (const l of run.report.perLabel) {
    const p = prev?.perLabel.find((x) => x.label === l.label);
    lines.push(`${l.label.padEnd(28)}${(p ? p.f1.toFixed(3) : '  n/a').padStart(7)} → ${l.f1.toFixed(3)}  (support ${l.support})`);
  }
  lines.push(`${'micro F1'.padEnd(28)}${f(prev, (r) => r.micro.f1).padStart(7)} → ${run.report.micro.f1.toFixed(3)}`);
  lines.push(`${'macro F1'.padEnd(28)}${f(prev, (r) => r.macroF1).padStart(7)} → ${run.report.macroF1.toFixed(3)}`);
  lines.push(`${'no-label given a label'.padEnd(28)}${f(prev, (r) => r.noLabel.rate).padStart(7)} → ${run.report.noLabel.rate.toFixed(3)}`);
  // Per language, for the new model only: the previous report may predate languages.
  if (run.report.byLanguage && run.report.byLanguage.length > 0) lines.push('cross-validated, per language of the texts:', formatLanguageTable(run.report.byLanguage));
  return lines.join('\n');
}
