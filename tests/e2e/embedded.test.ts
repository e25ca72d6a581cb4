import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleRecord } from '../../src/domain/types.js';
import { E2E_PAGES, serveFixtureFeed, startServiceHarness, type ServiceHarness } from '../helpers/service-harness.js';
import { logRecords, type ServiceProcess } from '../helpers/service-process.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * framewatch as a newcomer runs it: `start` on the default database (embedded PGlite, no DATABASE_URL),
 * feeds at the default 15-minute interval, and the CLI used beside the running service.
 */
let h: ServiceHarness;
let service: ServiceProcess;

const feedRequests = (path: string) => h.site.requests.filter((r) => r.path === path);

/** Runs a one-off CLI command beside the service and waits for it. */
async function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = h.spawn(args, { LOG_LEVEL: 'warn' });
  const { code } = await p.exited;
  return { code, stdout: p.stdout.join(''), stderr: p.logs.join('\n') };
}

beforeAll(async () => {
  h = await startServiceHarness({ name: 'embedded', embedded: true, feeds: [{ path: '/feeds/press-releases.rss', name: 'Press releases', interval: '15m' }], alerts: false });
  serveFixtureFeed(h.site, 'press-releases.rss');
  serveFixtureFeed(h.site, 'sanctions-watch.atom');
  for (const page of E2E_PAGES) h.servePage(page);
  service = h.spawn(['start']);
  await h.waitReady(90_000);
}, 120_000);

afterAll(async () => {
  const exit = await service?.stop();
  await h?.close();
  expect(exit).toEqual({ code: 0, signal: null });
}, 60_000);

describe('start on the embedded database', () => {
  it('polls a new feed at once, not at its first tick (up to 7.5 minutes away at 15m)', async () => {
    await waitFor(() => feedRequests('/feeds/press-releases.rss').length > 0, { timeoutMs: 30_000, what: 'the first poll of the feed' });
    // Measured from the service's own "started" line: how long the process takes to boot (PGlite, a
    // loaded machine) is not what this checks.
    const started = logRecords(service.logs).find((r) => r.msg === 'framewatch started');
    expect(typeof started?.time).toBe('string');
    expect((feedRequests('/feeds/press-releases.rss')[0]?.at ?? Infinity) - Date.parse(String(started?.time))).toBeLessThan(15_000);
    const served = logRecords(service.logs).find((r) => typeof r.msg === 'string' && r.msg.startsWith('embedded database served on a local socket'));
    expect(served?.socket).toBe(join(h.dataDir ?? '', '.s.PGSQL.5432'));
  }, 60_000);

  it('polls a feed added to feeds.yaml while it runs within seconds', async () => {
    appendFileSync(join(h.configDir, 'feeds.yaml'), '\n  - url: ' + `${h.site.origin}/feeds/sanctions-watch.atom` + '\n    name: Sanctions watch\n    interval: 15m\n');
    const added = Date.now();
    await waitFor(() => feedRequests('/feeds/sanctions-watch.atom').length > 0, { timeoutMs: 15_000, what: 'the first poll of the added feed' });
    expect((feedRequests('/feeds/sanctions-watch.atom')[0]?.at ?? Infinity) - added).toBeLessThan(15_000);
  }, 30_000);

  it('results, review and backtest from the CLI work beside the running service', async () => {
    const stored = await waitFor(
      async () => {
        const items = (await h.getJson<{ items: ArticleRecord[] }>('/api/articles?limit=100')).items;
        // Classified, not only stored: a sighting from the second feed can store an article before its
        // classification lands (the store stage records sightings as they come).
        return items.length >= 4 && items.every((a) => a.framework && a.model) ? items : null;
      },
      { timeoutMs: 90_000, what: 'four classified articles' },
    );
    const priceCap = stored.find((a) => a.canonicalUrl.endsWith('/articles/price-cap-russian-oil'));
    expect(priceCap?.labels.map((l) => l.id), JSON.stringify({ extraction: priceCap?.extraction, trace: priceCap?.trace, relevance: priceCap?.relevance })).toContain('targeted-sanctions');

    const results = await cli(['results', '--label', 'targeted-sanctions', '--format', 'jsonl']);
    expect(results.stderr).not.toMatch(/EmbeddedDatabaseBusyError|in use by process|^\s+at /m);
    expect(results.code).toBe(0);
    const lines = results.stdout.trim().split('\n').map((l) => JSON.parse(l) as ArticleRecord);
    expect(lines.map((a) => a.id)).toContain(priceCap?.id);

    const review = await cli(['review', priceCap?.id ?? '', '--confirm', 'targeted-sanctions', '--reviewer', 'newcomer']);
    expect(review.code).toBe(0);
    expect(JSON.parse(review.stdout).labels).toContainEqual(expect.objectContaining({ id: 'targeted-sanctions', review: 'confirmed' }));
    // The service sees the CLI's write: one database.
    const detail = await h.getJson<ArticleRecord>(`/api/articles/${priceCap?.id}`);
    expect(detail.labels.find((l) => l.id === 'targeted-sanctions')?.review).toBe('confirmed');

    const backtest = await cli(['backtest', '--since', '3650d', '--json']);
    expect(backtest.code).toBe(0);
    expect(JSON.parse(backtest.stdout)).toMatchObject({ articles: 4 });

    // The service kept running and serving throughout.
    expect(service.child.exitCode).toBeNull();
    expect((await fetch(`${h.api}/readyz`)).ok).toBe(true);
  }, 150_000);

  it('records the socket in the lock file, and removes both when it stops', async () => {
    const lock = join(h.dataDir ?? '', 'pglite.lock');
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: service.child.pid, command: 'start', socket: join(h.dataDir ?? '', '.s.PGSQL.5432') });
    expect(await service.stop()).toEqual({ code: 0, signal: null });
    expect(existsSync(lock)).toBe(false);
    expect(existsSync(join(h.dataDir ?? '', '.s.PGSQL.5432'))).toBe(false);
  }, 60_000);
});
