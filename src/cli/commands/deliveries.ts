import { Option, type Command } from 'commander';
import { attemptsFor } from '../../alerts/retry-schedule.js';
import type { AppConfig } from '../../config/load-config.js';
import { parseDuration } from '../../config/duration.js';
import { redactUrl } from '../../obs/logger.js';
import { replayDelivery } from '../../pipeline/deliver.js';
import { createRedis } from '../../queues/connection.js';
import { QueueClient } from '../../queues/queue-client.js';
import type { Db } from '../../store/db.js';
import { EndpointStateStore } from '../../store/delivery-endpoints.js';
import { DeliveryStore, type DeliveryStatus } from '../../store/delivery-store.js';
import { endpointArg } from '../args.js';
import { clockOf, CliError, UsageError, type CliContext } from '../context.js';

const STATUSES: DeliveryStatus[] = ['pending', 'delivered', 'dead', 'cancelled'];

/** `24h`, `7d` back from now, or an ISO date / date-time. */
export function parseSince(value: string, now: Date): Date {
  const ms = parseDuration(value);
  if (ms !== null) return new Date(now.getTime() - ms);
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new UsageError(`--since: "${value}" is neither a duration (24h, 7d) nor an ISO date`);
  return new Date(t);
}

/** Runs fn with the configured database open (migrated), closing it after. */
export async function withDb<T>(ctx: CliContext, config: AppConfig, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await ctx.openDb(config);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Runs fn with a queue producer on the configured Redis and prefix, closing both after. */
export async function withQueues<T>(config: AppConfig, fn: (queues: QueueClient) => Promise<T>): Promise<T> {
  // A one-off command does not wait for Redis as the service does: one quick try, then a sentence.
  const probe = createRedis({ url: config.env.REDIS_URL, role: 'probe' });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    throw new CliError(`Redis at ${redactUrl(config.env.REDIS_URL)} is unreachable (${(err as Error).message}); start Redis or fix REDIS_URL`);
  } finally {
    probe.disconnect();
  }
  const redis = createRedis({ url: config.env.REDIS_URL, role: 'client' });
  redis.on('error', () => undefined);
  const queues = new QueueClient(redis, config.env.FRAMEWATCH_QUEUE_PREFIX);
  try {
    return await fn(queues);
  } finally {
    await queues.close();
    await redis.quit().catch(() => redis.disconnect());
  }
}

/**
 * `framewatch deliveries list|replay|enable`: the webhook deliveries as stored (JSON lines on stdout),
 * sending some again (same webhook-id, queued for the running deliver workers), and re-enabling an
 * endpoint a 410 or days of failures disabled.
 */
export function registerDeliveriesCommand(program: Command, ctx: CliContext): void {
  const cmd = program.command('deliveries').description('webhook deliveries: list, replay, re-enable endpoints');

  cmd
    .command('list')
    .description('deliveries newest first, one JSON object per line (no body; see GET /api/deliveries/:id)')
    .option('--endpoint <id>', 'only this endpoint')
    .addOption(new Option('--status <status...>', 'only these statuses').choices(STATUSES))
    .option('--since <when>', 'created since (24h, 7d or an ISO date)')
    .option('--limit <n>', 'at most this many', '100')
    .option('--attempts', 'include every attempt of each delivery')
    .action(async (opts: { endpoint?: string; status?: DeliveryStatus[]; since?: string; limit: string; attempts?: boolean }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit: a whole number from 1 to 1000');
      const config = ctx.loadConfig();
      endpointArg('--endpoint', config, opts.endpoint);
      const since = opts.since ? parseSince(opts.since, clockOf(ctx).now()) : undefined;
      await withDb(ctx, config, async (db) => {
        const store = new DeliveryStore(db);
        const rows = await store.list({ endpoint: opts.endpoint, status: opts.status, since, limit });
        for (const d of rows) {
          const { body, ...rest } = d;
          const type = (JSON.parse(body) as { type?: string }).type;
          const line = { ...rest, type, ...(opts.attempts ? { attemptLog: await store.attempts(d.id) } : {}) };
          ctx.stdout.write(`${JSON.stringify(line)}\n`);
        }
      });
    });

  cmd
    .command('replay')
    .description('send deliveries again (same webhook-id): by id, or every one matching --status/--endpoint/--since')
    .argument('[ids...]', 'delivery ids')
    .addOption(new Option('--status <status...>', 'replay deliveries with these statuses').choices(STATUSES))
    .option('--endpoint <id>', 'only this endpoint')
    .option('--since <when>', 'created since (24h, 7d or an ISO date)')
    .action(async (ids: string[], opts: { status?: DeliveryStatus[]; endpoint?: string; since?: string }) => {
      if (ids.length === 0 && !opts.status && !opts.endpoint && !opts.since) throw new UsageError('give delivery ids, or --status/--endpoint/--since to select them');
      const config = ctx.loadConfig();
      endpointArg('--endpoint', config, opts.endpoint);
      const since = opts.since ? parseSince(opts.since, clockOf(ctx).now()) : undefined;
      const replayed = await withDb(ctx, config, async (db) => {
        const store = new DeliveryStore(db);
        const selected =
          ids.length > 0 ? ids : (await store.list({ status: opts.status, endpoint: opts.endpoint, since, limit: 1000 })).map((d) => d.id);
        return withQueues(config, async (queues) => {
          const results = [];
          for (const id of selected) {
            const result = await replayDelivery(store, queues.enqueue, id, { attempts: attemptsFor(config.settings.alerts.retrySchedule), at: clockOf(ctx).now() });
            if (!result) throw new CliError(`no delivery ${id}`);
            results.push(result);
          }
          return results;
        });
      });
      ctx.stdout.write(`${JSON.stringify({ replayed })}\n`);
    });

  cmd
    .command('enable')
    .description('re-enable an endpoint disabled by a 410 or by failing for days')
    .argument('<endpoint>', 'endpoint id')
    .action(async (endpoint: string) => {
      const config = ctx.loadConfig();
      endpointArg('deliveries enable', config, endpoint);
      const wasDisabled = await withDb(ctx, config, (db) => new EndpointStateStore(db).enable(endpoint, clockOf(ctx).now()));
      // The endpoint is enabled now either way; `wasDisabled` says whether this command changed anything.
      ctx.stdout.write(`${JSON.stringify({ endpoint, enabled: true, wasDisabled })}\n`);
    });
}
