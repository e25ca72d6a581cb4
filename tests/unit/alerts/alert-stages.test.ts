import { describe, expect, it } from 'vitest';
import { compileRuleSet, type AlertRuleSet } from '../../../src/alerts/rule-set.js';
import { alertsFileSchema, type AlertsConfig } from '../../../src/config/alerts-schema.js';
import type { ArticleRecord, Clock, FetchedResource, FetchOptions, SafeFetcher } from '../../../src/domain/types.js';
import { runAlertJob, type AlertJobDeps } from '../../../src/pipeline/alert.js';
import { runDeliverJob, type DeliverJobDeps } from '../../../src/pipeline/deliver.js';
import { PermanentStageError } from '../../../src/pipeline/stage-error.js';
import { jobIds, type Enqueue, type EnqueueOptions, type QueueName } from '../../../src/queues/definitions.js';
import { makeArticle } from './article-factory.js';
import { memoryAlertStorage } from './memory-alert-storage.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const NOW = Date.parse('2026-11-24T12:10:00Z');
const SANCTIONS = [{ id: 'targeted-sanctions', score: 0.9, direction: 'imposed' as const }];

function rules(file: unknown): AlertRuleSet {
  return compileRuleSet(alertsFileSchema.parse(file) as AlertsConfig);
}

function clockAt(t: number): Clock & { t: number } {
  const c = { t, now: () => new Date(c.t) };
  return c;
}

/** A recording Enqueue: the jobs a stage handed on, in order. */
function recorder(): { enqueue: Enqueue; jobs: { queue: QueueName; payload: unknown; options: EnqueueOptions }[] } {
  const jobs: { queue: QueueName; payload: unknown; options: EnqueueOptions }[] = [];
  return { jobs, enqueue: async (queue, payload, options) => void jobs.push({ queue, payload, options }) };
}

function alertDeps(set: AlertRuleSet, articles: ArticleRecord[], clock: Clock = clockAt(NOW)) {
  const storage = memoryAlertStorage();
  const { enqueue, jobs } = recorder();
  const deps: AlertJobDeps = {
    storage,
    rules: () => set,
    clock,
    publicUrl: 'https://fw.example',
    enqueue,
    deliveryAttempts: 8,
    articles: { getArticle: async (id) => articles.find((a) => a.id === id) ?? null },
  };
  return { deps, storage, jobs };
}

describe('the alert stage with its storage injected', () => {
  const endpoints = [
    { id: 'hook', url: 'https://hooks.example/a', secret: SECRET },
    { id: 'chat', url: 'https://chat.example/b', secret: SECRET, format: 'slack' },
  ];

  it('creates one delivery per endpoint for a matching article, hands them on, and creates nothing new when the job runs again', async () => {
    const set = rules({ endpoints, rules: [{ id: 'sanctions', labels: ['targeted-sanctions'], endpoints: ['hook', 'chat'] }] });
    const { deps, storage, jobs } = alertDeps(set, [makeArticle({ id: 'a1', labelSpecs: SANCTIONS })]);
    const first = await runAlertJob({ kind: 'article', articleId: 'a1' }, deps);
    expect(first).toMatchObject({ articleId: 'a1', matched: ['sanctions'], decisions: ['sanctions:sent'], deliveries: 2 });
    expect(jobs.map((j) => j.queue)).toEqual(['deliver', 'deliver']);
    expect(jobs[0]?.options).toMatchObject({ attempts: 8, backoff: { type: 'webhook-schedule' } });
    const body = JSON.parse([...storage.rows.values()][0]?.body ?? '{}') as { type: string; data: { links: { record: string } } };
    expect(body.type).toBe('article.matched');
    expect(body.data.links.record).toBe('https://fw.example/api/articles/a1');

    const again = await runAlertJob({ kind: 'article', articleId: 'a1' }, deps);
    expect(again).toMatchObject({ decisions: ['sanctions:sent'], deliveries: 2 });
    expect(storage.rows.size).toBe(2);
    expect(new Set(jobs.map((j) => j.options.jobId)).size).toBe(2);
  });

  it('throttles a rule past its maximum in the window', async () => {
    const set = rules({ endpoints, rules: [{ id: 'few', labels: ['targeted-sanctions'], throttle: { max: 1, window: '1h' }, dedupe: { enabled: false }, endpoints: ['hook'] }] });
    const a1 = makeArticle({ id: 'a1', labelSpecs: SANCTIONS });
    const a2 = makeArticle({ id: 'a2', title: 'Treasury lifts sanctions on an oil company', text: 'A different story about a licence for crude purchases.', labelSpecs: SANCTIONS });
    const { deps, storage } = alertDeps(set, [a1, a2]);
    expect(await runAlertJob({ kind: 'article', articleId: 'a1' }, deps)).toMatchObject({ decisions: ['few:sent'], deliveries: 1 });
    expect(await runAlertJob({ kind: 'article', articleId: 'a2' }, deps)).toMatchObject({ decisions: ['few:throttled'], deliveries: 0 });
    expect(storage.matches.map((m) => m.outcome)).toEqual(['sent', 'throttled']);
  });

  it('puts a digest rule’s match in its window and schedules the flush at the window’s end on the stage’s clock', async () => {
    const set = rules({ endpoints, rules: [{ id: 'daily', labels: ['targeted-sanctions'], digest: { window: '1h' }, endpoints: ['hook'] }] });
    const { deps, jobs } = alertDeps(set, [makeArticle({ id: 'a1', labelSpecs: SANCTIONS })]);
    expect(await runAlertJob({ kind: 'article', articleId: 'a1' }, deps)).toMatchObject({ decisions: ['daily:digested'], deliveries: 0 });
    const windowStart = '2026-11-24T12:00:00.000Z';
    expect(jobs).toEqual([{ queue: 'alert', payload: { kind: 'digest', ruleId: 'daily', windowStart }, options: { jobId: jobIds.alertDigest('daily', windowStart), delay: 50 * 60_000 } }]);

    const flushed = await runAlertJob({ kind: 'digest', ruleId: 'daily', windowStart }, deps);
    expect(flushed).toMatchObject({ decisions: ['daily:sent'], deliveries: 1 });
  });

  it('skips an article not stored, and fails for good on a feed health job with no event source wired', async () => {
    const set = rules({ endpoints, rules: [{ id: 'feeds', events: ['feed.health'], endpoints: ['hook'] }] });
    const { deps, jobs } = alertDeps(set, []);
    expect(await runAlertJob({ kind: 'article', articleId: 'gone' }, deps)).toEqual({ articleId: 'gone', skipped: 'article not stored' });
    await expect(runAlertJob({ kind: 'feed-health', feedId: 'f', eventId: 'e' }, deps)).rejects.toBeInstanceOf(PermanentStageError);
    expect(jobs).toEqual([]);
  });
});

/** A fetcher that answers each POST with the next canned response and remembers the requests. */
function cannedFetcher(answers: Partial<FetchedResource>[]): SafeFetcher & { requests: { url: string; options: FetchOptions | undefined }[] } {
  const requests: { url: string; options: FetchOptions | undefined }[] = [];
  return {
    requests,
    fetch: async (url, options) => {
      requests.push({ url, options });
      const a = answers.shift() ?? {};
      return { requestedUrl: url, finalUrl: url, status: 204, headers: {}, body: Buffer.alloc(0), redirects: [], durationMs: 1, ...a };
    },
  };
}

async function deliverDeps(answers: Partial<FetchedResource>[], file: unknown) {
  const set = rules(file);
  const storage = memoryAlertStorage();
  const { enqueue, jobs } = recorder();
  const fetcher = cannedFetcher(answers);
  const clock = clockAt(NOW);
  const deps: DeliverJobDeps = { storage, fetcher, rules: () => set, clock, timeoutMs: 5_000, publicUrl: 'https://fw.example', enqueue, deliveryAttempts: 8 };
  const body = JSON.stringify({ type: 'article.matched', timestamp: new Date(NOW).toISOString(), data: {} });
  const [id] = await storage.deliveries.create([{ id: 'msg_1', endpointId: 'hook', ruleId: 'r', eventType: 'article.matched', eventKey: 'a1', articleId: 'a1', body }], clock.now());
  return { deps, storage, jobs, fetcher, id: id as string };
}

describe('the deliver stage with its storage injected', () => {
  const file = { endpoints: [{ id: 'hook', url: 'https://hooks.example/a', secret: SECRET }], rules: [] };

  it('sends one signed POST and records it delivered', async () => {
    const { deps, storage, fetcher, id } = await deliverDeps([{ status: 204 }], file);
    expect(await runDeliverJob(id, { lastAttempt: false }, deps)).toEqual({ outcomes: ['delivered'], step: { next: 'done', fields: { deliveryId: id, outcome: 'delivered', attempt: 1 } } });
    expect(fetcher.requests[0]?.options?.headers).toMatchObject({ 'webhook-id': id, 'content-type': 'application/json' });
    expect(storage.rows.get(id)?.status).toBe('delivered');
    expect(storage.states.get('hook')?.lastSuccessAt).toBe(new Date(NOW).toISOString());
  });

  it('asks to wait out a 429 Retry-After without spending an attempt', async () => {
    const { deps, storage, id } = await deliverDeps([{ status: 429, headers: { 'retry-after': '7' } }], file);
    expect(await runDeliverJob(id, { lastAttempt: true }, deps)).toEqual({ outcomes: ['later'], step: { next: 'later', delayMs: 7_000, reason: 'receiver asked to retry in 7000 ms' } });
    expect(storage.attempts.get(id)?.map((a) => a.outcome)).toEqual(['later']);
    expect(storage.rows.get(id)?.status).toBe('pending');
  });

  it('retries a failure, and dead-letters it on the last attempt instead of dropping it', async () => {
    const { deps, storage, id } = await deliverDeps([{ status: 500 }, { status: 500 }], file);
    expect(await runDeliverJob(id, { lastAttempt: false }, deps)).toEqual({ outcomes: ['failed'], step: { next: 'retry', error: 'HTTP 500' } });
    const last = await runDeliverJob(id, { lastAttempt: true }, deps);
    expect(last).toMatchObject({ outcomes: ['failed', 'dead'], step: { next: 'done', fields: { outcome: 'dead', attempt: 2, status: 500 } } });
    expect(storage.rows.get(id)).toMatchObject({ status: 'dead', lastError: 'retries exhausted: HTTP 500' });
  });

  it('on 410 disables the endpoint, cancels its other deliveries and hands the endpoint.disabled notice on', async () => {
    const withOps = { ...file, endpoints: [...file.endpoints, { id: 'ops', url: 'https://ops.example/x', secret: SECRET }], notify: { endpointDisabled: ['ops'] } };
    const { deps, storage, jobs, id } = await deliverDeps([{ status: 410 }], withOps);
    await storage.deliveries.create([{ id: 'msg_2', endpointId: 'hook', ruleId: 'r', eventType: 'article.matched', eventKey: 'a2', articleId: 'a2', body: '{}' }], new Date(NOW));
    const out = await runDeliverJob(id, { lastAttempt: false }, deps);
    expect(out.outcomes).toEqual(['gone']);
    expect(out.step).toMatchObject({ next: 'done', warn: { fields: { endpointDisabled: true, notified: 1 } } });
    expect(storage.states.get('hook')?.disabledReason).toBe('the receiver answered 410 Gone');
    expect(storage.rows.get('msg_2')?.status).toBe('cancelled');
    expect(jobs.map((j) => j.queue)).toEqual(['deliver']);
    const notice = storage.rows.get((jobs[0]?.payload as { deliveryId: string }).deliveryId);
    expect(notice).toMatchObject({ endpointId: 'ops', eventType: 'endpoint.disabled' });
  });
});
