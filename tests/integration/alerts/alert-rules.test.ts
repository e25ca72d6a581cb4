import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRuleSet } from '../../../src/alerts/rule-set.js';
import type { ArticleRecord } from '../../../src/domain/types.js';
import { evaluateArticleAlerts, evaluateFeedHealthAlerts, flushDigest, type AlertDeps } from '../../../src/pipeline/alert.js';
import { replayAlerts } from '../../../src/pipeline/replay-alerts.js';
import { pgAlertStorage } from '../../../src/store/alert-storage.js';
import { AlertLedger } from '../../../src/store/delivery-ledger.js';
import { DeliveryStore } from '../../../src/store/delivery-store.js';
import { makeArticle } from '../../unit/alerts/article-factory.js';
import { ManualClock, openTestDb, ruleSet, SECRET } from './alert-env.js';

let env: Awaited<ReturnType<typeof openTestDb>>;
beforeAll(async () => {
  env = await openTestDb('alert_rules');
});
afterAll(async () => {
  await env.drop();
});

// One wire story as three outlets ran it: same lead, their own headline tweaks and sign-off.
const WIRE =
  'BRUSSELS (Reuters) - The European Union on Monday imposed sanctions on three Chinese and Iranian companies accused of supplying drone components to Russia, ' +
  'freezing their assets and banning EU firms from doing business with them. The measures, agreed by ambassadors of the 27 member states, ' +
  'are part of a wider package targeting networks that help Moscow evade export controls on dual-use goods.';
const OUTLETS = [
  { id: 'story-a', feed: 'outlet-a', name: 'Outlet A', title: 'EU sanctions three firms over drone parts for Russia', text: WIRE },
  { id: 'story-b', feed: 'outlet-b', name: 'Outlet B', title: 'EU sanctions three firms over drone parts for Russia - Outlet B', text: `${WIRE} Reporting by Outlet B staff.` },
  { id: 'story-c', feed: 'outlet-c', name: 'Outlet C', title: 'UPDATE 1-EU sanctions three firms over drone parts for Russia', text: WIRE.replace('on Monday', 'on Monday,').replace('27 member states', '27 EU member states') },
];
const OTHER_STORY =
  'WASHINGTON - The US Treasury lifted sanctions on a Venezuelan state oil company after talks on elections, allowing American refiners to resume purchases of crude for six months under a general licence.';

let seq = 0;
function article(spec: { id: string; feed: string; name: string; title: string; text: string }, at: Date): ArticleRecord {
  return makeArticle({
    id: `${spec.id}-${seq}`,
    canonicalUrl: `https://${spec.feed}.example/${spec.id}-${seq}`,
    title: spec.title,
    text: spec.text,
    firstSeenAt: at.toISOString(),
    sightings: [{ feedId: spec.feed, feedName: spec.name, link: `https://${spec.feed}.example/${spec.id}`, guid: null, seenAt: at.toISOString() }],
    labelSpecs: [{ id: 'targeted-sanctions', score: 0.9, groups: ['policy-focuses'], direction: 'imposed' }],
  });
}

/** A rule set with one endpoint and one rule under a fresh rule id (the ledger is per rule). */
function deps(rule: Record<string, unknown>, clock = new ManualClock(Date.parse('2026-11-24T12:00:00Z'))): { deps: AlertDeps; clock: ManualClock; ruleId: string; set: AlertRuleSet } {
  seq++;
  const ruleId = `rule-${seq}`;
  const set = ruleSet({ endpoints: [{ id: 'hook', url: 'https://hooks.example/x', secret: SECRET }, { id: 'chat', url: 'https://chat.example/x', secret: SECRET, format: 'slack' }], rules: [{ id: ruleId, endpoints: ['hook'], labels: ['targeted-sanctions'], ...rule }] });
  return { deps: { storage: pgAlertStorage(env.db), rules: () => set, clock, publicUrl: 'https://fw.example' }, clock, ruleId, set };
}

async function bodiesOf(ids: string[]): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const store = new DeliveryStore(env.db);
  return Promise.all(ids.map(async (id) => JSON.parse((await store.get(id))?.body ?? 'null') as { type: string; data: Record<string, unknown> }));
}

describe('one alert per story', () => {
  it('the same story from three feeds sends one alert (suppress mode)', async () => {
    const { deps: d, clock } = deps({});
    const results = [];
    for (const o of OUTLETS) {
      results.push(await evaluateArticleAlerts(article(o, clock.now()), d));
      clock.advance(20 * 60_000);
    }
    expect(results.map((r) => r.decisions[0]?.outcome)).toEqual(['sent', 'duplicate', 'duplicate']);
    expect(results.flatMap((r) => r.deliveries)).toHaveLength(1);
    expect(results[1]?.decisions[0]?.storyOf).toBe(`story-a-${seq}`);
    // A different story under the same rule still alerts.
    const other = await evaluateArticleAlerts(article({ id: 'other', feed: 'outlet-a', name: 'Outlet A', title: 'US lifts sanctions on Venezuelan oil firm', text: OTHER_STORY }, clock.now()), d);
    expect(other.decisions[0]?.outcome).toBe('sent');
    expect(other.deliveries).toHaveLength(1);
  });

  it('three workers deciding three copies at the same moment still send one alert (per-rule lock)', async () => {
    const { deps: d, clock } = deps({});
    const results = await Promise.all(OUTLETS.map((o) => evaluateArticleAlerts(article(o, clock.now()), d)));
    expect(results.map((r) => r.decisions[0]?.outcome).sort()).toEqual(['duplicate', 'duplicate', 'sent']);
    expect(results.flatMap((r) => r.deliveries)).toHaveLength(1);
  });

  it('update mode: one article.matched, then article.updated listing who else reported it', async () => {
    const { deps: d, clock } = deps({ dedupe: { mode: 'update' } });
    const ids: string[][] = [];
    for (const o of OUTLETS) {
      ids.push((await evaluateArticleAlerts(article(o, clock.now()), d)).deliveries);
      clock.advance(60_000);
    }
    expect(ids.map((x) => x.length)).toEqual([1, 1, 1]);
    const [first, second, third] = await bodiesOf(ids.flat());
    expect(first?.type).toBe('article.matched');
    expect(second?.type).toBe('article.updated');
    expect(third?.type).toBe('article.updated');
    const story = third?.data.story as { firstArticleId: string; alsoReportedBy: { id: string; feeds: string[] }[] };
    expect(story.firstArticleId).toBe(`story-a-${seq}`);
    expect(story.alsoReportedBy.map((r) => r.feeds[0])).toEqual(['Outlet A', 'Outlet B']);
  });

  it('outside the dedupe window the story alerts again', async () => {
    const { deps: d, clock } = deps({ dedupe: { window: '48h' } });
    expect((await evaluateArticleAlerts(article(OUTLETS[0]!, clock.now()), d)).decisions[0]?.outcome).toBe('sent');
    clock.advance(49 * 3_600_000);
    expect((await evaluateArticleAlerts(article(OUTLETS[1]!, clock.now()), d)).decisions[0]?.outcome).toBe('sent');
  });

  it('re-evaluating an article (new labels, a replayed job) creates no second delivery', async () => {
    const { deps: d, clock } = deps({ endpoints: ['hook', 'chat'] });
    const a = article(OUTLETS[0]!, clock.now());
    const first = await evaluateArticleAlerts(a, d);
    expect(first.deliveries).toHaveLength(2);
    clock.advance(3_600_000);
    const again = await evaluateArticleAlerts({ ...a, labels: a.labels.map((l) => ({ ...l, score: 0.95 })) }, d);
    expect(again.deliveries.sort()).toEqual(first.deliveries.sort());
    const { rows } = await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM deliveries WHERE article_id = $1', [a.id]);
    expect(rows[0]?.n).toBe(2);
  });
});

describe('throttle and digest', () => {
  const distinct = (i: number) => ({ id: `t${i}`, feed: 'outlet-a', name: 'Outlet A', title: `Sanctions story number ${i} on ${['oil', 'banks', 'ships', 'chips', 'drones'][i]}`, text: `${['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo'][i]} ${OTHER_STORY.split(' ').reverse().slice(i * 3).join(' ')} ${'x'.repeat(i)}` });

  it('at most N alerts per window; the rest are recorded as throttled', async () => {
    const { deps: d, clock, ruleId } = deps({ throttle: { max: 2, window: '1h' }, dedupe: { enabled: false } });
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) {
      outcomes.push((await evaluateArticleAlerts(article(distinct(i), clock.now()), d)).decisions[0]?.outcome ?? '');
      clock.advance(60_000);
    }
    expect(outcomes).toEqual(['sent', 'sent', 'throttled', 'throttled']);
    clock.advance(3_600_000);
    expect((await evaluateArticleAlerts(article(distinct(4), clock.now()), d)).decisions[0]?.outcome).toBe('sent');
    const ledger = await new AlertLedger(env.db).listForRule(ruleId);
    expect(ledger.filter((m) => m.outcome === 'throttled')).toHaveLength(2);
  });

  it('a digest sends one message per window listing the matches', async () => {
    const { deps: d, clock } = deps({ digest: { window: '1h' }, dedupe: { enabled: false }, endpoints: ['hook', 'chat'] });
    clock.set(new Date('2026-11-24T12:05:00Z'));
    const due = [];
    for (let i = 0; i < 3; i++) {
      const r = await evaluateArticleAlerts(article(distinct(i), clock.now()), d);
      expect(r.deliveries).toEqual([]);
      due.push(...r.digests);
      clock.advance(10 * 60_000);
    }
    expect(new Set(due.map((x) => x.windowStart))).toEqual(new Set(['2026-11-24T12:00:00.000Z']));
    expect(due[0]?.dueAt).toBe('2026-11-24T13:00:00.000Z');
    clock.set(new Date('2026-11-24T13:00:01Z'));
    // An article after the window closed belongs to the next digest.
    const late = await evaluateArticleAlerts(article(distinct(3), clock.now()), d);
    expect(late.digests[0]?.windowStart).toBe('2026-11-24T13:00:00.000Z');

    const flushed = await flushDigest(due[0]!.ruleId, due[0]!.windowStart, d);
    expect(flushed.deliveries).toHaveLength(2);
    const [body] = await bodiesOf(flushed.deliveries.filter((id) => id));
    expect(body?.type).toBe('article.digest');
    expect(body?.data.count).toBe(3);
    expect((body?.data.articles as { title: string }[]).map((a) => a.title)).toEqual([0, 1, 2].map((i) => distinct(i).title));
    // Flushing the same window again (a retried job) finds the same deliveries.
    const again = await flushDigest(due[0]!.ruleId, due[0]!.windowStart, d);
    expect(again.deliveries.sort()).toEqual(flushed.deliveries.sort());
  });
});

describe('feed health and replay', () => {
  it('a feed.health rule alerts once per event', async () => {
    const { deps: d } = deps({ events: ['feed.health'], healthStates: ['failing'], labels: [] });
    const event = { type: 'feed.health' as const, id: `ev-${seq}`, feedId: 'outlet-a', feedName: 'Outlet A', state: 'failing' as const, previousState: 'degraded' as const, reason: 'HTTP 503 for 26 hours', at: '2026-11-24T12:00:00Z', kind: 'failing' };
    const first = await evaluateFeedHealthAlerts(event, d);
    expect(first.deliveries).toHaveLength(1);
    const [body] = await bodiesOf(first.deliveries);
    expect(body).toMatchObject({ type: 'feed.health', data: { feed: { id: 'outlet-a', name: 'Outlet A' }, state: 'failing', previousState: 'degraded', reason: 'HTTP 503 for 26 hours' } });
    expect((await evaluateFeedHealthAlerts(event, d)).deliveries).toEqual(first.deliveries);
    expect((await evaluateFeedHealthAlerts({ ...event, id: `ok-${seq}`, state: 'ok' }, d)).matched).toEqual([]);
  });

  it('replay re-runs rules over stored articles without duplicating, and a new endpoint gets its alerts', async () => {
    const { deps: d, clock, ruleId } = deps({});
    const stored = [article(OUTLETS[0]!, clock.now()), article({ id: 'other', feed: 'outlet-b', name: 'Outlet B', title: 'US lifts sanctions on Venezuelan oil firm', text: OTHER_STORY }, clock.now()), article(OUTLETS[1]!, clock.now())];
    const reader = { streamArticles: async function* () { yield* stored; } };
    const first = await replayAlerts(reader, d, new Date(0));
    expect(first.outcomes).toEqual({ sent: 2, duplicate: 1 });
    expect(first.deliveries).toHaveLength(2);
    const again = await replayAlerts(reader, d, new Date(0));
    expect(again.deliveries.sort()).toEqual(first.deliveries.sort());
    const count = async () => (await env.db.query<{ n: number }>('SELECT count(*)::int AS n FROM deliveries WHERE rule_id = $1', [ruleId])).rows[0]?.n;
    expect(await count()).toBe(2);
    // The rule gains a second endpoint: a replay creates that endpoint's deliveries, and only those.
    const wider = ruleSet({ endpoints: [{ id: 'hook', url: 'https://hooks.example/x', secret: SECRET }, { id: 'chat', url: 'https://chat.example/x', secret: SECRET }], rules: [{ id: ruleId, endpoints: ['hook', 'chat'], labels: ['targeted-sanctions'] }] });
    const third = await replayAlerts(reader, { ...d, rules: () => wider }, new Date(0));
    expect(third.deliveries).toHaveLength(4);
    expect(await count()).toBe(4);
  });
});
