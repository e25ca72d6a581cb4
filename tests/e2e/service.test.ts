import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleRecord } from '../../src/domain/types.js';
import { API_TOKEN, E2E_PAGES, serveFixtureFeed, startServiceHarness, type ServiceHarness } from '../helpers/service-harness.js';
import { logRecords, type ServiceProcess } from '../helpers/service-process.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * The real service, started as a user starts it (`framewatch start`), against a loopback server of
 * fixture feeds and pages and a loopback webhook receiver that verifies signatures.
 */
let h: ServiceHarness;
let service: ServiceProcess;

async function allArticles(): Promise<ArticleRecord[]> {
  return (await h.getJson<{ items: ArticleRecord[] }>('/api/articles?limit=100')).items;
}

beforeAll(async () => {
  h = await startServiceHarness({
    name: 'e2e',
    feeds: [
      { path: '/feeds/press-releases.rss', name: 'Press releases' },
      { path: '/feeds/sanctions-watch.atom', name: 'Sanctions watch' },
    ],
    settings: ['alerts:', '  retrySchedule: [1s, 1s, 1s]'],
  });
  serveFixtureFeed(h.site, 'press-releases.rss');
  serveFixtureFeed(h.site, 'sanctions-watch.atom');
  for (const page of E2E_PAGES) h.servePage(page);
  service = h.spawn(['start']);
  await h.waitReady();
}, 90_000);

afterAll(async () => {
  const exit = await service?.stop();
  await h?.close();
  // Shutdown on SIGTERM is part of the contract: the process ends by itself, with status 0.
  expect(exit).toEqual({ code: 0, signal: null });
}, 60_000);

describe('framewatch start, end to end', () => {
  it('stores every article once with labels and evidence, and the same story from two feeds as one article', async () => {
    const articles = await waitFor(
      async () => {
        const items = await allArticles();
        return items.length >= 4 && items.every((a) => a.framework && a.model) ? items : null;
      },
      { timeoutMs: 90_000, what: 'four classified articles' },
    );
    expect(articles).toHaveLength(4);
    const byPath = new Map(articles.map((a) => [new URL(a.canonicalUrl).pathname, a]));

    const priceCap = byPath.get('/articles/price-cap-russian-oil');
    expect(priceCap).toBeDefined();
    // The second feed's sighting is stored by its own store job, which may land after the first is classified.
    const detail = await waitFor(
      async () => {
        const record = await h.getJson<ArticleRecord>(`/api/articles/${priceCap?.id}`);
        return record.sightings.length >= 2 ? record : null;
      },
      { timeoutMs: 30_000, what: 'both feeds\' sightings of the price-cap article' },
    );
    expect(detail.sightings.map((s) => s.feedName).sort()).toEqual(['Press releases', 'Sanctions watch']);
    expect(detail.extraction?.method).toBe('readability');
    expect(detail.text).toContain('price cap');
    expect(detail.text).not.toContain('Privacy policy');
    const sanctions = detail.labels.find((l) => l.id === 'targeted-sanctions');
    expect(sanctions, `labels were ${detail.labels.map((l) => l.id).join(', ')}`).toBeDefined();
    expect(sanctions?.groups).toEqual(['policy-focuses']);
    expect(sanctions?.score).toBeGreaterThan(0);
    expect(sanctions?.evidence.length).toBeGreaterThan(0);
    for (const ev of sanctions?.evidence ?? []) {
      const source = ev.field === 'title' ? detail.title : (detail.text ?? '');
      expect(source.slice(ev.start, ev.end)).toBe(ev.text);
    }
    expect(detail.trace.map((t) => t.stage)).toEqual(expect.arrayContaining(['extract', 'classify', 'store']));

    expect(byPath.get('/articles/ukraine-grid-repair')?.labels.map((l) => l.id)).toContain('energy-security');
    expect(byPath.get('/articles/security-assistance-820m')?.labels.map((l) => l.id)).toContain('military-collaboration');
    expect(byPath.get('/articles/spacewalk-team')?.labels).toEqual([]);
  }, 120_000);

  it('sends one signed webhook for the matching article', async () => {
    const hook = await waitFor(() => h.received.find((r) => r.body.type === 'article.matched'), { timeoutMs: 60_000, what: 'a signed webhook' });
    expect(h.rejectedHooks).toEqual([]);
    const data = hook.body.data as { rule: { id: string }; article: { url: string; labels: { id: string }[] }; links: { record: string } };
    expect(data.rule.id).toBe('sanctions');
    expect(data.links.record).toMatch(/\/api\/articles\//);
    const article = data.article;
    expect(new URL(article.url).pathname).toBe('/articles/price-cap-russian-oil');
    expect(article.labels.map((l) => l.id)).toContain('targeted-sanctions');
  }, 90_000);

  it('polls again without storing, fetching or alerting anything twice', async () => {
    const feedRequests = () => h.site.requests.filter((r) => r.path.startsWith('/feeds/press-releases')).length;
    const before = feedRequests();
    await waitFor(() => feedRequests() >= before + 2, { timeoutMs: 30_000, what: 'two more polls of the feed' });
    // Let anything a second poll might have queued run through.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await allArticles()).toHaveLength(4);
    const matched = h.received.filter((r) => r.body.type === 'article.matched');
    expect(new Set(matched.map((r) => r.id)).size).toBe(1);
    expect(h.site.requests.filter((r) => r.path.startsWith('/articles/price-cap-russian-oil'))).toHaveLength(1);
  }, 60_000);

  it('serves health, readiness and Prometheus metrics', async () => {
    expect((await fetch(`${h.api}/healthz`)).status).toBe(200);
    const ready = (await (await fetch(`${h.api}/readyz`)).json()) as { checks: Record<string, { ok: boolean }>; workers: { ok: boolean }[] };
    expect(ready.checks.redis?.ok).toBe(true);
    expect(ready.checks.database?.ok).toBe(true);
    expect(ready.workers.length).toBeGreaterThanOrEqual(6);
    const metrics = await (await fetch(`${h.api}/metrics`)).text();
    expect(metrics).toMatch(/framewatch_jobs_total\{stage="extract",outcome="completed"\} [1-9]/);
    expect(metrics).toMatch(/framewatch_queue_jobs\{queue="poll",state="waiting"\}/);
    expect(metrics).toMatch(/framewatch_labels_applied_total\{label="targeted-sanctions"\} [1-9]/);
  });

  it('shows feed health and the queue dashboard behind the token', async () => {
    const feeds = await h.getJson<{ items: { name: string; health: { state: string; itemsSeen: number } }[] }>('/api/feeds');
    const press = feeds.items.find((f) => f.name === 'Press releases');
    expect(press?.health.state).toBe('ok');
    expect(press?.health.itemsSeen).toBe(4);
    expect((await fetch(`${h.api}/admin/queues`)).status).toBe(401);
    const dashboard = await fetch(`${h.api}/admin/queues?token=${API_TOKEN}`);
    expect(dashboard.status).toBe(200);
    const cookie = dashboard.headers.get('set-cookie')?.split(';')[0] ?? '';
    const queues = await fetch(`${h.api}/admin/queues/api/queues`, { headers: { cookie } });
    expect(queues.status).toBe(200);
    const body = (await queues.json()) as { queues: { name: string }[] };
    expect(body.queues.map((q) => q.name)).toEqual(expect.arrayContaining(['poll', 'extract', 'classify', 'store', 'alert', 'deliver']));
  });

  it('logs one structured JSON record per job run', () => {
    const records = logRecords(service.logs);
    const stages = new Set(records.filter((r) => typeof r.stage === 'string' && typeof r.durationMs === 'number').map((r) => r.stage));
    for (const stage of ['poll', 'extract', 'deliver']) expect(stages).toContain(stage);
    // `start` runs every stage, so each article is classified, stored and run through the alert rules in
    // its extract job: the extract record carries the labels and the rule decisions, no classify job ran,
    // and store and alert jobs ran only for what comes after (a second feed's sighting, a merged
    // duplicate), not once per article (src/pipeline/inline-follow-on.ts).
    const timed = records.filter((r) => typeof r.durationMs === 'number');
    const extracted = timed.filter((r) => r.stage === 'extract' && Array.isArray(r.labels));
    expect(extracted.length).toBeGreaterThan(0);
    expect(extracted.some((r) => (r.labels as unknown[]).includes('targeted-sanctions'))).toBe(true);
    const decided = extracted.filter((r) => (r.alert as { matched?: unknown[] } | undefined)?.matched?.length);
    expect(decided.length).toBeGreaterThan(0);
    expect(stages).not.toContain('classify');
    expect(timed.filter((r) => r.stage === 'store').length).toBeLessThan(extracted.length);
    expect(timed.filter((r) => r.stage === 'alert').length).toBeLessThan(extracted.length);
    expect(records.filter((r) => 'raw' in r)).toEqual([]);
  });
});
