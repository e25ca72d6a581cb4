import type { Command } from 'commander';
import { queueNames, stageNames, type QueueName } from '../../queues/definitions.js';
import { startService } from '../../service/runtime.js';
import type { ServiceRoles } from '../../service/service-options.js';
import { onTerminationSignal } from '../../service/shutdown.js';
import { UsageError, type CliContext } from '../context.js';

/** `start`, `worker`, `api` and `scheduler`: the long-running roles of one codebase. */
export function registerServeCommands(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description('run everything in one process: feed scheduler, every stage worker and the HTTP API')
    .option('--stages <list>', 'run only these stages here (the others run in `worker` processes)', parseStages, [...stageNames])
    .option('--concurrency <stage=n...>', 'per-stage concurrency, e.g. extract=4', collectConcurrency, {})
    .action(async (opts: { stages: QueueName[]; concurrency: Partial<Record<QueueName, number>> }) => {
      await serve(ctx, { scheduler: true, api: true, stages: opts.stages, concurrency: opts.concurrency });
    });

  program
    .command('worker')
    .description('run stage workers only; start as many as you like, on any machine sharing the Redis')
    .option('--stages <list>', `comma-separated stages (${stageNames.join(',')})`, parseStages, [...stageNames])
    .option('--concurrency <stage=n...>', 'per-stage concurrency, e.g. extract=4', collectConcurrency, {})
    .action(async (opts: { stages: QueueName[]; concurrency: Partial<Record<QueueName, number>> }) => {
      await serve(ctx, { scheduler: false, api: false, stages: opts.stages, concurrency: opts.concurrency });
    });

  program
    .command('api')
    .description('serve the HTTP API, JSON Feeds, health and metrics only')
    .action(async () => {
      await serve(ctx, { scheduler: false, api: true, stages: [], concurrency: {} });
    });

  program
    .command('scheduler')
    .description('keep feed schedules in line with feeds.yaml and schedule maintenance (safe to run twice)')
    .action(async () => {
      await serve(ctx, { scheduler: true, api: false, stages: [], concurrency: {} });
    });
}

async function serve(ctx: CliContext, roles: ServiceRoles): Promise<void> {
  const config = ctx.loadConfig();
  const logger = ctx.logger();
  const abort = new AbortController();
  let service: Awaited<ReturnType<typeof startService>> | null = null;
  onTerminationSignal(async (signal) => {
    logger.info({ signal }, 'shutting down');
    abort.abort();
    await service?.stop();
  });
  try {
    service = await startService({ config, roles, logger, signal: abort.signal });
  } catch (err) {
    // Stopped by a signal while waiting for Redis or the database: the signal handler exits, quietly.
    if (abort.signal.aborted) return;
    throw err;
  }
}

function parseStages(value: string): QueueName[] {
  const stages = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = stages.filter((s) => !(queueNames as string[]).includes(s));
  if (unknown.length > 0 || stages.length === 0) {
    throw new UsageError(`--stages: unknown stage ${unknown.map((s) => `"${s}"`).join(', ') || '(none given)'}; choose from ${stageNames.join(', ')}`);
  }
  return stages as QueueName[];
}

function collectConcurrency(value: string, previous: Partial<Record<QueueName, number>>): Partial<Record<QueueName, number>> {
  const next = { ...previous };
  for (const part of value.split(',')) {
    const match = /^([a-z]+)=(\d+)$/.exec(part.trim());
    if (!match || !(queueNames as string[]).includes(match[1] ?? '') || Number(match[2]) < 1) {
      throw new UsageError(`--concurrency: expected stage=n with a known stage and n ≥ 1, got "${part}"`);
    }
    next[match[1] as QueueName] = Number(match[2]);
  }
  return next;
}
