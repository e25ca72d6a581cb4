import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/domain/types.js';
import { evaluateArticleAlerts, flushDigest } from '../../../src/pipeline/alert.js';
import { deliverOnce } from '../../../src/pipeline/deliver.js';
import { pgAlertStorage } from '../../../src/store/alert-storage.js';
import { EndpointStateStore } from '../../../src/store/delivery-endpoints.js';
import { DeliveryStore } from '../../../src/store/delivery-store.js';
import { migrate } from '../../../src/store/migrate.js';
import { BACKENDS, type TestDb } from '../store/backends.js';
import { makeArticle } from '../../unit/alerts/article-factory.js';
import { ManualClock, ruleSet, SECRET, startReceiver, testFetcher } from './alert-env.js';

// The service runs on PostgreSQL or the embedded PGlite: the alert SQL (arrays, jsonb, advisory locks) must work on both.
describe.each(BACKENDS)('alerts on $name', (backend) => {
  let t: TestDb;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const fetcher = testFetcher();
  beforeAll(async () => {
    t = await backend.open(`alerts_${backend.name}`);
    await migrate(t.db);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.server.close();
    await fetcher.close();
    await t.cleanup();
  });

  it('decides, dedupes, digests, delivers and records attempts', async () => {
    const clock = new ManualClock(Date.parse('2026-11-24T12:10:00Z'));
    const set = ruleSet({
      endpoints: [{ id: 'hook', url: receiver.url, secret: SECRET }],
      rules: [
        { id: 'now', labels: ['targeted-sanctions'], endpoints: ['hook'] },
        { id: 'daily', labels: ['targeted-sanctions'], digest: { window: '1h' }, endpoints: ['hook'] },
      ],
    });
    const deps = { storage: pgAlertStorage(t.db), rules: () => set, clock, publicUrl: 'https://fw.example' };
    const labelled = { labelSpecs: [{ id: 'targeted-sanctions', score: 0.9 }] };
    const a = await evaluateArticleAlerts(makeArticle({ id: 'x1', ...labelled }), deps);
    const b = await evaluateArticleAlerts(makeArticle({ id: 'x2', canonicalUrl: 'https://other.example/x2', ...labelled }), deps);
    expect(a.decisions.map((d) => d.outcome)).toEqual(['sent', 'digested']);
    expect(b.decisions.map((d) => d.outcome)).toEqual(['duplicate', 'duplicate']);
    expect(a.deliveries).toHaveLength(1);
    const digest = await flushDigest('daily', a.digests[0]!.windowStart, deps);
    expect(digest.deliveries).toHaveLength(1);

    receiver.answer((n, _req, res) => void res.writeHead(n === 1 ? 500 : 200).end());
    const deliverDeps = { storage: pgAlertStorage(t.db), fetcher, rules: () => set, clock: systemClock, timeoutMs: 5_000, publicUrl: 'https://fw.example' };
    expect((await deliverOnce(a.deliveries[0]!, deliverDeps)).kind).toBe('failed');
    expect((await deliverOnce(a.deliveries[0]!, deliverDeps)).kind).toBe('delivered');
    expect((await deliverOnce(digest.deliveries[0]!, deliverDeps)).kind).toBe('delivered');
    const store = new DeliveryStore(t.db);
    expect((await store.attempts(a.deliveries[0]!)).map((x) => x.statusCode)).toEqual([500, 200]);
    expect((await store.list({ status: ['delivered'] })).map((d) => d.eventType).sort()).toEqual(['article.digest', 'article.matched']);
    expect((await new EndpointStateStore(t.db).get('hook'))?.failingSince).toBeNull();
    expect(receiver.received.every((r) => r.verified)).toBe(true);
  });
});
