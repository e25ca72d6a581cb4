/**
 * npm run bench:poll [-- --feeds 2000 --hosts 250 --changed 0.05 --warm 2 --workers 1
 *                       --interval 2s --floor 1s --concurrency 50 --per-host-concurrency 2 --per-host-gap 1s]
 * npm run bench:poll -- --direct [--no-politeness]
 *
 * Default: the real service. A loopback server answers for N feeds spread over many loopback host names
 * (127.0.1.x, so per-host politeness applies as across real publishers); `framewatch start --stages poll`
 * (scheduler, API, poll worker) — plus `--workers - 1` extra `framewatch worker --stages poll` processes —
 * polls them on its own schedule from a feeds.yaml listing them all, with its own config folder, Redis
 * prefix and database. Measured from the outside, per cycle (every feed's first request after the previous
 * cycle ended): the time from the first to the last of those N requests, requests/s and 304 share of all
 * requests in that window, the processes' CPU and RSS (/proc), and how long feeds wait between two polls.
 * Cycle 1 takes in every feed's backlog; warm cycles are mostly 304 with `--changed` of feeds publishing.
 *
 * The schedule bounds the cycle from below: each feed is offered every max(floor, interval/2) and skipped
 * until due, so the defaults (interval 2s, floor 1s) keep the service saturated and the figure measures
 * its capacity, not a configured sleep. The per-host gap bounds it too (feeds per host × gap); both are printed.
 *
 * `--direct`: the older in-process mode (pollFeed called directly, no BullMQ, no scheduler).
 *
 * Needs Redis on 127.0.0.1:6379 and PostgreSQL on 127.0.0.1:5432; uses its own key prefix and database
 * and removes them, the processes and the temp config folder afterwards.
 */
import { parseArgs } from 'node:util';
import { parseDuration } from '../src/config/duration.js';
import { settingsFileSchema } from '../src/config/settings-schema.js';
import { runDirectBench } from './lib/poll-direct.js';
import { runServiceBench } from './lib/poll-service.js';

const { values: args } = parseArgs({
  options: {
    direct: { type: 'boolean', default: false },
    feeds: { type: 'string', default: '2000' },
    changed: { type: 'string', default: '0.05' },
    hosts: { type: 'string', default: '250' },
    'no-politeness': { type: 'boolean', default: false },
    warm: { type: 'string', default: '2' },
    workers: { type: 'string', default: '1' },
    interval: { type: 'string', default: '2s' },
    floor: { type: 'string', default: '1s' },
    concurrency: { type: 'string' },
    'per-host-concurrency': { type: 'string' },
    'per-host-gap': { type: 'string' },
    timeout: { type: 'string', default: '10m' },
    'log-level': { type: 'string', default: 'info' },
  },
});

function duration(name: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === null || ms <= 0) throw new Error(`--${name}: "${text}" is not a duration (e.g. 500ms, 2s)`);
  return ms;
}
function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: expected a positive integer, got "${text}"`);
  return n;
}

const defaults = settingsFileSchema.parse({}).poll;
const settings = {
  ...defaults,
  ...(args.concurrency ? { concurrency: positiveInt('concurrency', args.concurrency) } : {}),
  ...(args['per-host-concurrency'] ? { perHostConcurrency: positiveInt('per-host-concurrency', args['per-host-concurrency']) } : {}),
  ...(args['per-host-gap'] ? { perHostGap: duration('per-host-gap', args['per-host-gap']) } : {}),
};
const feeds = positiveInt('feeds', args.feeds);
const hosts = positiveInt('hosts', args.hosts);
// 127.0.1.1 … 127.0.1.254: one octet of loopback host names.
if (hosts > 254) throw new Error('--hosts: at most 254');
const changed = Number(args.changed);
if (!(changed >= 0 && changed <= 1)) throw new Error('--changed: a share between 0 and 1');

if (args.direct) {
  await runDirectBench({ feeds, hosts, changed, politeness: !args['no-politeness'], settings });
} else {
  await runServiceBench({
    feeds,
    hosts,
    changed,
    warmCycles: positiveInt('warm', args.warm),
    workers: positiveInt('workers', args.workers),
    intervalMs: duration('interval', args.interval),
    floorMs: duration('floor', args.floor),
    concurrency: settings.concurrency,
    perHostConcurrency: settings.perHostConcurrency,
    perHostGapMs: settings.perHostGap,
    unconditionalEvery: settings.unconditionalEvery,
    timeoutMs: duration('timeout', args.timeout),
    logLevel: args['log-level'],
  });
}
