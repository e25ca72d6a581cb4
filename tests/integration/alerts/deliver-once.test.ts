import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDeliveries } from '../../../src/alerts/delivery-factory.js';
import { articleMatchedEvent, summarizeArticle } from '../../../src/alerts/payload.js';
import type { AlertRuleSet } from '../../../src/alerts/rule-set.js';
import { systemClock } from '../../../src/domain/types.js';
import { deliverOnce, type DeliverDeps } from '../../../src/pipeline/deliver.js';
import { pgAlertStorage } from '../../../src/store/alert-storage.js';
import type { Db } from '../../../src/store/db.js';
import { EndpointStateStore } from '../../../src/store/delivery-endpoints.js';
import { DeliveryStore } from '../../../src/store/delivery-store.js';
import { makeArticle } from '../../unit/alerts/article-factory.js';
import { ManualClock, openTestDb, ruleSet, SECRET, startReceiver, testFetcher } from './alert-env.js';

let env: Awaited<ReturnType<typeof openTestDb>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const fetcher = testFetcher();
let n = 0;

beforeAll(async () => {
  env = await openTestDb('deliver_once');
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.server.close();
  await fetcher.close();
  await env.drop();
});
beforeEach(() => {
  receiver.received.length = 0;
  receiver.answer((_n, _req, res) => void res.writeHead(204).end());
});

/** A fresh endpoint id per test, so endpoint state (disabled, failing) does not leak between tests. */
function setup(options: { format?: string; timeoutMs?: number; disableAfter?: string; notify?: boolean } = {}) {
  const endpoint = `ep${++n}`;
  const endpoints = [{ id: endpoint, url: receiver.url, secret: SECRET, ...(options.format ? { format: options.format } : {}), ...(options.disableAfter ? { disableAfter: options.disableAfter } : {}) }];
  if (options.notify) endpoints.push({ id: `${endpoint}-ops`, url: `${receiver.server.origin}/ops`, secret: SECRET });
  const set: AlertRuleSet = ruleSet({
    endpoints,
    rules: [{ id: 'sanctions', labels: ['targeted-sanctions'], endpoints: [endpoint] }],
    ...(options.notify ? { notify: { endpointDisabled: [`${endpoint}-ops`] } } : {}),
  });
  const clock = new ManualClock();
  const deps: DeliverDeps = { storage: pgAlertStorage(env.db), fetcher, rules: () => set, clock, timeoutMs: options.timeoutMs ?? 5_000, publicUrl: 'https://fw.example' };
  return { endpoint, deps, clock };
}

async function newDelivery(db: Db, endpoint: string, articleId = `art-${n}`): Promise<string> {
  const article = makeArticle({ id: articleId, labelSpecs: [{ id: 'targeted-sanctions', score: 0.9, direction: 'imposed' }] });
  const event = articleMatchedEvent({ ruleId: 'sanctions', article: summarizeArticle(article), publicUrl: 'https://fw.example', at: new Date() });
  const [id] = await createDeliveries(new DeliveryStore(db), { endpointIds: [endpoint], ruleId: 'sanctions', event, eventKey: article.id, articleId: article.id }, systemClock);
  return id as string;
}

describe('one delivery attempt', () => {
  it('POSTs a Standard Webhooks signed article.matched payload the receiver verifies', async () => {
    const { endpoint, deps } = setup();
    const id = await newDelivery(env.db, endpoint);
    const out = await deliverOnce(id, deps);
    expect(out).toMatchObject({ kind: 'delivered', attempt: 1, status: 204 });
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0]!;
    expect(got.verified).toBe(true);
    expect(got.id).toBe(id);
    const payload = JSON.parse(got.body);
    expect(payload.type).toBe('article.matched');
    expect(payload.data.rule.id).toBe('sanctions');
    expect(payload.data.article).toMatchObject({ id: `art-${n}`, url: 'https://news.example/a1', title: expect.any(String), publishedAt: '2026-11-24T10:00:00.000Z', direction: 'imposed' });
    expect(payload.data.article.feeds[0]).toMatchObject({ id: 'feed-a', name: 'Outlet A' });
    expect(payload.data.article.labels[0]).toMatchObject({ id: 'targeted-sanctions', score: 0.9, evidence: [expect.stringContaining('sanctions')] });
    expect(payload.data.links.record).toBe(`https://fw.example/api/articles/art-${n}`);
    const stored = await new DeliveryStore(env.db).get(id);
    expect(stored).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 204 });
    const attempts = await new DeliveryStore(env.db).attempts(id);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ attempt: 1, statusCode: 204, outcome: 'delivered', error: null });
    // A second run of the same job sends nothing.
    expect(await deliverOnce(id, deps)).toEqual({ kind: 'skipped', reason: 'already delivered' });
    expect(receiver.received).toHaveLength(1);
  });

  it('a 302 is a failure and its Location is not followed', async () => {
    receiver.server.route('/elsewhere', (_req, res) => void res.writeHead(200).end('should never be reached'));
    receiver.answer((_n, _req, res) => void res.writeHead(302, { location: `${receiver.server.origin}/elsewhere` }).end());
    const { endpoint, deps } = setup();
    const id = await newDelivery(env.db, endpoint);
    const out = await deliverOnce(id, deps);
    expect(out).toMatchObject({ kind: 'failed', status: 302 });
    expect(receiver.server.requests.some((r) => r.path === '/elsewhere')).toBe(false);
    const [attempt] = await new DeliveryStore(env.db).attempts(id);
    expect(attempt).toMatchObject({ statusCode: 302, outcome: 'failed' });
    expect(attempt?.error).toContain('redirect not followed');
  });

  it('records the first 1 KB of the response and the error of a 500', async () => {
    receiver.answer((_n, _req, res) => void res.writeHead(500, { 'content-type': 'text/plain' }).end('x'.repeat(5000)));
    const { endpoint, deps } = setup();
    const id = await newDelivery(env.db, endpoint);
    expect(await deliverOnce(id, deps)).toMatchObject({ kind: 'failed', status: 500, error: 'HTTP 500' });
    const [attempt] = await new DeliveryStore(env.db).attempts(id);
    expect(attempt?.responseExcerpt).toHaveLength(1024);
    expect(attempt?.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('a slow receiver runs into the timeout, which counts as a failed attempt', async () => {
    receiver.answer(async (_n, _req, res) => {
      await new Promise((r) => setTimeout(r, 1_500));
      if (!res.writableEnded) res.writeHead(200).end();
    });
    const { endpoint, deps } = setup({ timeoutMs: 300 });
    const id = await newDelivery(env.db, endpoint);
    const out = await deliverOnce(id, deps);
    expect(out).toMatchObject({ kind: 'failed', status: null });
    expect(out.kind === 'failed' && out.error).toMatch(/^timeout/);
    const stored = await new DeliveryStore(env.db).get(id);
    expect(stored).toMatchObject({ status: 'pending', attempts: 1 });
    expect(stored?.lastError).toMatch(/^timeout/);
  });

  it('410 disables the endpoint at once: the delivery is cancelled and nothing more is sent to it', async () => {
    receiver.answer((_n, _req, res) => void res.writeHead(410).end('gone'));
    const { endpoint, deps } = setup();
    const first = await newDelivery(env.db, endpoint, `gone-1-${n}`);
    const second = await newDelivery(env.db, endpoint, `gone-2-${n}`);
    expect(await deliverOnce(first, deps)).toMatchObject({ kind: 'gone' });
    expect((await new EndpointStateStore(env.db).get(endpoint))?.disabledReason).toContain('410');
    expect(await deliverOnce(second, deps)).toMatchObject({ kind: 'skipped' });
    expect(receiver.received).toHaveLength(1);
    expect((await new DeliveryStore(env.db).get(first))?.status).toBe('cancelled');
    expect((await new DeliveryStore(env.db).get(second))?.status).toBe('cancelled');
    // Even a new event for the endpoint is not sent.
    const third = await newDelivery(env.db, endpoint, `gone-3-${n}`);
    expect(await deliverOnce(third, deps)).toEqual({ kind: 'skipped', reason: 'endpoint disabled' });
    expect(receiver.received).toHaveLength(1);
  });

  it('429 with Retry-After asks for a delay instead of a failure', async () => {
    receiver.answer((_n, _req, res) => void res.writeHead(429, { 'retry-after': '7' }).end());
    const { endpoint, deps } = setup();
    const id = await newDelivery(env.db, endpoint);
    expect(await deliverOnce(id, deps)).toMatchObject({ kind: 'later', delayMs: 7_000, status: 429 });
    expect((await new DeliveryStore(env.db).get(id))?.status).toBe('pending');
    expect((await new EndpointStateStore(env.db).get(endpoint))?.failingSince ?? null).toBeNull();
  });

  it('an endpoint failing for longer than disableAfter is disabled and an endpoint.disabled event goes to notify endpoints', async () => {
    receiver.answer((_n, _req, res) => void res.writeHead(500).end());
    const opsBodies: string[] = [];
    receiver.server.route('/ops', (req, res) => {
      opsBodies.push(receiver.server.requests[receiver.server.requests.length - 1]?.body ?? '');
      res.writeHead(200).end();
    });
    const { endpoint, deps, clock } = setup({ disableAfter: '2d', notify: true });
    // A quiet endpoint: two failures more than two days apart are not yet a run of failures.
    const quiet = await newDelivery(env.db, endpoint, `quiet-${n}`);
    expect(await deliverOnce(quiet, deps)).toMatchObject({ kind: 'failed' });
    clock.advance(2 * 86_400_000 + 1);
    expect(await deliverOnce(quiet, deps)).toMatchObject({ kind: 'failed' });
    await new EndpointStateStore(env.db).recordSuccess(endpoint, clock.now());
    const id = await newDelivery(env.db, endpoint);
    expect(await deliverOnce(id, deps)).toMatchObject({ kind: 'failed' });
    clock.advance(86_400_000);
    expect(await deliverOnce(id, deps)).toMatchObject({ kind: 'failed' });
    clock.advance(86_400_000 + 1);
    const out = await deliverOnce(id, deps);
    expect(out.kind).toBe('gone');
    const enqueue = out.kind === 'gone' ? out.enqueue : [];
    expect(enqueue).toHaveLength(1);
    expect(await deliverOnce(enqueue[0]!, deps)).toMatchObject({ kind: 'delivered' });
    const event = JSON.parse(opsBodies[0] ?? '{}');
    expect(event.type).toBe('endpoint.disabled');
    expect(event.data.endpoint.id).toBe(endpoint);
    expect(event.data.reason).toContain('failed for 2.0 days');
    expect((await new DeliveryStore(env.db).get(id))?.status).toBe('cancelled');
  });

  it('renders Slack blocks and Discord embeds, still signed', async () => {
    for (const format of ['slack', 'discord'] as const) {
      receiver.received.length = 0;
      const { endpoint, deps } = setup({ format });
      const id = await newDelivery(env.db, endpoint);
      expect(await deliverOnce(id, deps)).toMatchObject({ kind: 'delivered' });
      const got = receiver.received[0]!;
      expect(got.verified).toBe(true);
      const body = JSON.parse(got.body);
      if (format === 'slack') {
        expect(body.text).toContain('EU imposes new sanctions');
        expect(body.blocks[0].text.text).toContain('<https://news.example/a1|');
        expect(body.blocks[1].text.text).toContain('targeted-sanctions (0.90, imposed)');
      } else {
        expect(body.embeds[0]).toMatchObject({ url: 'https://news.example/a1', title: expect.stringContaining('EU imposes') });
        expect(body.embeds[0].description).toContain('targeted-sanctions');
        expect(body.allowed_mentions).toEqual({ parse: [] });
      }
    }
  });

  it('refuses a private address unless private networks are allowed, and dead-letters the delivery', async () => {
    const { endpoint, deps } = setup();
    const { createSafeFetcher } = await import('../../../src/fetch/index.js');
    const strict = createSafeFetcher({ allowPrivateNetworks: false, userAgent: 't', timeoutMs: 2_000, maxBytes: 10_000, maxRedirects: 0 });
    try {
      const id = await newDelivery(env.db, endpoint);
      expect(await deliverOnce(id, { ...deps, fetcher: strict })).toMatchObject({ kind: 'refused' });
      expect(receiver.received).toHaveLength(0);
      expect((await new DeliveryStore(env.db).get(id))?.status).toBe('dead');
    } finally {
      await strict.close();
    }
  });
});
