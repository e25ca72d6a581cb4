import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { startFixtureServer, type FixtureServer } from './fixture-server.js';
import { createTestDatabase } from './postgres.js';
import { TEST_REDIS_URL, testRedisPrefix } from './redis.js';
import { freePort, REPO_ROOT, spawnFramewatch, type ServiceProcess } from './service-process.js';
import { waitFor } from './wait-for.js';

export const E2E_FIXTURES = join(REPO_ROOT, 'tests', 'fixtures', 'e2e');
export const WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const API_TOKEN = 'test-token';

export const E2E_PAGES = ['price-cap-russian-oil', 'ukraine-grid-repair', 'security-assistance-820m', 'spacewalk-team'] as const;

export interface ReceivedHook {
  id: string;
  timestamp: string;
  body: Record<string, unknown>;
  at: number;
}

/**
 * Everything a test of the running service needs, isolated: its own Redis prefix and database, a
 * loopback site serving fixture feeds and pages, a webhook receiver that verifies signatures, and a
 * config folder. `spawn` starts `framewatch <args>` processes against all of it.
 */
export interface ServiceHarness {
  site: FixtureServer;
  receiver: FixtureServer;
  received: ReceivedHook[];
  rejectedHooks: string[];
  configDir: string;
  prefix: string;
  /** The PostgreSQL database of this test ('' with `embedded`). */
  databaseUrl: string;
  /** The embedded database's data folder (with `embedded`). */
  dataDir: string | null;
  apiPort: number;
  api: string;
  env(overrides?: Record<string, string>): Record<string, string>;
  spawn(args: string[], overrides?: Record<string, string>): ServiceProcess;
  getJson<T>(path: string): Promise<T>;
  waitReady(timeoutMs?: number): Promise<void>;
  /** Serves a fixture page; `hold` delays the response (e.g. to kill a worker mid-extraction). */
  servePage(name: string, options?: { path?: string; hold?: (res: ServerResponse) => Promise<void> }): void;
  close(): Promise<void>;
}

export interface HarnessOptions {
  name: string;
  feeds: { path: string; name: string; interval?: string }[];
  settings?: string[];
  alerts?: boolean;
  /** The default database: embedded PGlite in a data folder of the test's own, no DATABASE_URL. */
  embedded?: boolean;
}

export async function startServiceHarness(options: HarnessOptions): Promise<ServiceHarness> {
  const redis = testRedisPrefix(options.name);
  const db = options.embedded ? null : await createTestDatabase(options.name);
  const dataDir = options.embedded ? mkdtempSync(join(tmpdir(), `fw-${options.name}-data-`)) : null;
  const site = await startFixtureServer();
  const receiver = await startFixtureServer();
  const received: ReceivedHook[] = [];
  const rejectedHooks: string[] = [];
  const processes: ServiceProcess[] = [];

  const verifier = new Webhook(WEBHOOK_SECRET);
  receiver.route('/hook', (req, res) => {
    const raw = receiver.requests.at(-1)?.body ?? '';
    try {
      const headers = { 'webhook-id': String(req.headers['webhook-id']), 'webhook-timestamp': String(req.headers['webhook-timestamp']), 'webhook-signature': String(req.headers['webhook-signature']) };
      const body = verifier.verify(raw, headers) as Record<string, unknown>;
      received.push({ id: headers['webhook-id'], timestamp: headers['webhook-timestamp'], body, at: Date.now() });
      res.writeHead(204).end();
    } catch (err) {
      rejectedHooks.push((err as Error).message);
      res.writeHead(400).end();
    }
  });

  const configDir = mkdtempSync(join(tmpdir(), `fw-${options.name}-`));
  copyFileSync(join(REPO_ROOT, 'config', 'framework.yaml'), join(configDir, 'framework.yaml'));
  writeFileSync(
    join(configDir, 'feeds.yaml'),
    [options.feeds.length === 0 ? 'feeds: []' : 'feeds:', ...options.feeds.flatMap((f) => [`  - url: ${site.origin}${f.path}`, `    name: ${f.name}`, `    interval: ${f.interval ?? '2s'}`])].join('\n'),
  );
  if (options.alerts !== false) {
    writeFileSync(
      join(configDir, 'alerts.yaml'),
      ['endpoints:', '  - id: analysts', `    url: ${receiver.origin}/hook`, `    secret: ${WEBHOOK_SECRET}`, 'rules:', '  - id: sanctions', '    labels: [targeted-sanctions]', '    endpoints: [analysts]'].join('\n'),
    );
  }
  const settings = options.settings ?? [];
  // Tests stop the service with SIGTERM and wait 30 s: keep the grace for jobs in flight well inside that.
  const queues = settings.includes('queues:') ? [] : ['queues:', '  shutdownGrace: 10s'];
  writeFileSync(join(configDir, 'settings.yaml'), ['poll:', '  floor: 1s', ...queues, ...settings].join('\n'));

  const apiPort = await freePort();
  const api = `http://127.0.0.1:${apiPort}`;
  const env = (overrides: Record<string, string> = {}) => ({
    REDIS_URL: TEST_REDIS_URL,
    ...(db ? { DATABASE_URL: db.url } : {}),
    ...(dataDir ? { FRAMEWATCH_DATA_DIR: dataDir } : {}),
    FRAMEWATCH_QUEUE_PREFIX: redis.prefix,
    FRAMEWATCH_CONFIG: configDir,
    FRAMEWATCH_API_TOKEN: API_TOKEN,
    FRAMEWATCH_ALLOW_PRIVATE_NETWORKS: 'true',
    PORT: String(apiPort),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...overrides,
  });

  return {
    site,
    receiver,
    received,
    rejectedHooks,
    configDir,
    prefix: redis.prefix,
    databaseUrl: db?.url ?? '',
    dataDir,
    apiPort,
    api,
    env,
    spawn: (args, overrides) => {
      const p = spawnFramewatch(args, env(overrides));
      processes.push(p);
      return p;
    },
    getJson: async <T>(path: string) => {
      const res = await fetch(`${api}${path}`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
    waitReady: async (timeoutMs = 60_000) => {
      await waitFor(async () => (await fetch(`${api}/readyz`)).ok, { timeoutMs, what: 'the API to be ready' });
    },
    servePage: (name, opts = {}) => {
      site.route(opts.path ?? `/articles/${name}`, async (_req, res) => {
        if (opts.hold) await opts.hold(res);
        if (res.destroyed) return;
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(readFileSync(join(E2E_FIXTURES, 'pages', `${name}.html`)));
      });
    },
    close: async () => {
      await Promise.all(processes.map((p) => p.stop(10_000)));
      await site.close();
      await receiver.close();
      await db?.drop();
      await redis.cleanup();
      rmSync(configDir, { recursive: true, force: true });
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Serves an E2E fixture feed with `{{ORIGIN}}` filled in. */
export function serveFixtureFeed(site: FixtureServer, file: string, path = `/feeds/${file}`): void {
  site.route(path, (_req, res) => {
    const body = readFileSync(join(E2E_FIXTURES, 'feeds', file), 'utf8').replaceAll('{{ORIGIN}}', site.origin);
    res.writeHead(200, { 'content-type': file.endsWith('.rss') ? 'application/rss+xml; charset=utf-8' : 'application/atom+xml' }).end(body);
  });
}

/** An RSS feed listing the given pages of the site (one item each). */
export function rssFor(origin: string, items: { slug: string; title: string }[]): string {
  const entries = items
    .map((i, n) => `<item><title>${i.title}</title><link>${origin}/articles/${i.slug}</link><guid isPermaLink="false">${i.slug}</guid><pubDate>${new Date(Date.UTC(2025, 2, 1 + n)).toUTCString()}</pubDate><description>${i.title}</description></item>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test</title><link>${origin}/</link><description>t</description>${entries}</channel></rss>`;
}
