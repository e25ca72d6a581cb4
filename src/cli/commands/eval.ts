import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { crossValidate, textLanguage } from '../../classifiers/cross-validate.js';
import { frameworkExamples, readDataset, type LabelledExample } from '../../classifiers/dataset.js';
import { loadClassifier } from '../../classifiers/load-classifier.js';
import { evaluateWithLanguages, formatReport } from '../../classifiers/metrics.js';
import { packageRoot, readActiveModel, readModelFile, shippedTrainingFiles } from '../../classifiers/model-registry.js';
import type { ModelArtifact } from '../../classifiers/model/artifact.js';
import { CliError, type CliContext } from '../context.js';

interface EvalOptions {
  dataset: string;
  folds?: string;
  seed: string;
  json?: boolean;
  model?: string;
  trainExtra?: string[];
  datasetOnly?: boolean;
}

/** True when one of the model's training datasets is this file. */
function trainedOn(model: ModelArtifact, dataset: string): boolean {
  const real = (f: string): string | null => (existsSync(f) ? realpathSync(f) : null);
  const target = real(dataset);
  return target !== null && model.training.datasets.some((d) => real(resolve(packageRoot(), d)) === target);
}

/** The JSONL files a --dataset names: the file itself, or every `*.jsonl` of a folder (sorted). */
function datasetFiles(path: string): string[] {
  if (!existsSync(path)) throw new CliError(`${path}: no such file or folder`);
  if (!statSync(path).isDirectory()) return [path];
  const files = readdirSync(path)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(path, f));
  if (files.length === 0) throw new CliError(`${path}: no .jsonl files in this folder`);
  return files;
}

const positiveInt = (name: string, v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`--${name} must be a positive integer, got "${v}"`);
  return n;
};

/**
 * `framewatch eval --dataset FILE.jsonl [--folds K] [--json]`: per-label precision/recall/F1/support, micro
 * and macro F1 and false alarms on no-label articles. With --folds, the training procedure is
 * cross-validated on the file (each article scored by a model that never saw it; the framework's own texts
 * and the shipped training corpus, or the --train-extra files, are always in training and never scored);
 * without, the active model is scored on the file as given.
 */
export function registerEvalCommand(program: Command, ctx: CliContext): void {
  program
    .command('eval')
    .description('score the classifier on a labelled JSONL dataset (active model, or cross-validated training with --folds)')
    .requiredOption('--dataset <path>', 'labelled JSONL ({id,title,text,labels,lang?} per line), or a folder: all its *.jsonl files')
    .option('--folds <k>', 'cross-validate training on the dataset with k folds')
    .option('--seed <n>', 'seed of the fold assignment', '1')
    .option('--model <file>', 'model file to score instead of the active one (without --folds)')
    .option('--train-extra <file>', 'with --folds: labelled JSONL always in training, never scored (repeatable; default: data/training/*.jsonl except the dataset)', (v: string, p: string[] = []) => [...p, v])
    .option('--dataset-only', 'with --folds: train on the framework texts and the dataset folds alone (no extra corpus)')
    .option('--json', 'machine-readable output')
    .action(async (opts: EvalOptions) => {
      const config = ctx.loadConfig();
      const files = datasetFiles(opts.dataset);
      const examples: LabelledExample[] = [];
      try {
        // One by one: a spread's arguments go on the call stack, and a dataset can be long.
        for (const f of files) for (const example of readDataset(f)) examples.push(example);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      const known = new Set(config.framework.labels.map((l) => l.id));
      const unknown = [...new Set(examples.flatMap((e) => e.labels.filter((l) => !known.has(l))))];
      if (unknown.length > 0) throw new CliError(`${opts.dataset}: labels not in the framework: ${unknown.join(', ')}`);
      const labelIds = config.framework.labels.map((l) => l.id);
      let report;
      let mode: string;
      if (opts.folds !== undefined) {
        const folds = positiveInt('folds', opts.folds);
        if (folds < 2) throw new CliError('--folds needs at least 2');
        const extraFiles = opts.datasetOnly ? [] : (opts.trainExtra ?? shippedTrainingFiles(files));
        const extra = [...frameworkExamples(config.framework)];
        for (const f of extraFiles) {
          try {
            // One by one: a spread's arguments go on the call stack, and a dataset can be long.
            for (const example of readDataset(f)) extra.push(example);
          } catch (err) {
            throw new CliError((err as Error).message);
          }
        }
        const scoredIds = new Set(examples.map((e) => e.id));
        const clash = extra.find((e) => scoredIds.has(e.id));
        if (clash) throw new CliError(`--train-extra: article ${clash.id} is also in ${opts.dataset}; a scored article must never be in training`);
        report = crossValidate(config.framework, examples, { outerFolds: folds, seed: positiveInt('seed', opts.seed), extraTraining: extra }).report;
        const extraNote = extraFiles.length > 0 ? `, ${extra.length - frameworkExamples(config.framework).length} extra training articles from ${extraFiles.map((f) => relative(process.cwd(), f)).join(', ')}` : '';
        mode = `${folds}-fold cross-validation${extraNote}`;
      } else {
        const classifier = await loadClassifier(config.framework, { ...(opts.model ? { modelPath: opts.model } : {}), warn: (m, d) => ctx.logger().warn(d, m) });
        const artifact = opts.model ? readModelFile(opts.model).artifact : readActiveModel().artifact;
        for (const f of files.filter((file) => trainedOn(artifact, file))) {
          ctx.logger().warn({ dataset: f, model: classifier.model }, 'the model was trained on this dataset: these scores are not an estimate of accuracy (use --folds)');
        }
        const classified = examples.map((e) => classifier.classify(e));
        report = evaluateWithLanguages(
          labelIds,
          examples.map((e) => e.labels),
          classified.map((c) => c.labels.map((l) => l.id)),
          examples.map((e, i) => textLanguage(e, classified[i] ?? null)),
        );
        mode = `model ${classifier.model}`;
      }
      if (opts.json) ctx.stdout.write(`${JSON.stringify({ dataset: opts.dataset, mode, framework: config.framework.version, ...report })}\n`);
      else ctx.stdout.write(`${formatReport(report, `${opts.dataset}: ${report.articles} articles, ${mode}, framework ${config.framework.version}`)}\n`);
    });
}
