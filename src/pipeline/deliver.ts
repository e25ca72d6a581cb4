import { endpointSecrets, type AlertEndpoint } from '../config/alerts-schema.js';
import type { Clock, FetchedResource, SafeFetcher } from '../domain/types.js';
import { FetchError } from '../fetch/fetch-error.js';
import { createDeliveries } from '../alerts/delivery-factory.js';
import { renderBody } from '../alerts/formats.js';
import { endpointDisabledEvent } from '../alerts/payload.js';
import { receiverRetryAfterMs, WEBHOOK_BACKOFF } from '../alerts/retry-schedule.js';
import type { AlertRuleSet } from '../alerts/rule-set.js';
import { signatureHeaders } from '../alerts/sign.js';
import { jobIds, type Enqueue } from '../queues/definitions.js';
import type { AlertStorage, DeliveryRecords } from '../store/alert-storage.js';
import { RESPONSE_EXCERPT_BYTES, type AttemptOutcome } from '../store/delivery-store.js';

/** What one delivery attempt reads and writes. */
export interface DeliverDeps {
  /** Deliveries and endpoint state (src/store/alert-storage.ts). */
  storage: AlertStorage;
  fetcher: SafeFetcher;
  rules: () => AlertRuleSet;
  clock: Clock;
  /** settings.alerts.timeout (15 s by default); running out counts as a failure. */
  timeoutMs: number;
  publicUrl: string;
  /** `later` answers (429/503 with Retry-After) allowed before they count as failures. */
  maxLater?: number;
}

/** What happened to one attempt; the worker binding turns it into BullMQ's terms. */
export type DeliveryOutcome =
  | { kind: 'delivered'; attempt: number; status: number }
  /** Retry with the schedule (3xx, 4xx, 5xx without Retry-After, timeout, network). */
  | { kind: 'failed'; attempt: number; status: number | null; error: string; enqueue: string[] }
  /** 429/503 with Retry-After: wait this long without spending an attempt. */
  | { kind: 'later'; attempt: number; status: number; delayMs: number }
  /** 410, or failing for longer than `disableAfter`: the endpoint is disabled, this delivery cancelled. */
  | { kind: 'gone'; attempt: number; enqueue: string[] }
  /** The request could not be sent and never will (refused address, bad URL): dead at once. */
  | { kind: 'refused'; attempt: number; error: string }
  /** Nothing sent: already delivered, dead, cancelled, or the endpoint is disabled or removed. */
  | { kind: 'skipped'; reason: string };

const DEFAULT_MAX_LATER = 20;
/** Failed attempts an endpoint needs, besides `disableAfter` of failing, before it is disabled. */
const MIN_FAILURES_TO_DISABLE = 3;
/** Response bodies are read only this far: a receiver is not a download. */
const MAX_RESPONSE_BYTES = 256 * 1024;

/**
 * One attempt of one delivery: sign (Standard Webhooks: same webhook-id every time, this attempt's
 * timestamp), POST through the safe fetcher without following redirects, record the attempt, and update
 * the endpoint's state. Retries are the queue's: this function never loops.
 */
export async function deliverOnce(deliveryId: string, deps: DeliverDeps): Promise<DeliveryOutcome> {
  const { deliveries, endpoints } = deps.storage;
  const delivery = await deliveries.get(deliveryId);
  if (!delivery) return { kind: 'skipped', reason: 'no such delivery' };
  if (delivery.status !== 'pending') return { kind: 'skipped', reason: `already ${delivery.status}` };
  const endpoint = deps.rules().endpoints.get(delivery.endpointId);
  if (!endpoint) {
    await deliveries.setStatus(delivery.id, 'cancelled', `endpoint ${delivery.endpointId} is no longer in alerts.yaml`, deps.clock.now());
    return { kind: 'skipped', reason: 'endpoint removed' };
  }
  const state = await endpoints.get(endpoint.id);
  if (state?.disabledAt) {
    await deliveries.setStatus(delivery.id, 'cancelled', `endpoint disabled: ${state.disabledReason ?? ''}`, deps.clock.now());
    return { kind: 'skipped', reason: 'endpoint disabled' };
  }

  const at = deps.clock.now();
  const body = renderBody(endpoint.format, delivery.body);
  const headers = {
    ...endpoint.headers,
    'content-type': 'application/json',
    ...signatureHeaders({ id: delivery.id, at, body, secrets: endpointSecrets(endpoint) }),
  };
  const started = performance.now();
  let response: FetchedResource | null = null;
  let error: FetchError | null = null;
  try {
    response = await deps.fetcher.fetch(endpoint.url, { method: 'POST', headers, body, timeoutMs: deps.timeoutMs, maxRedirects: 0, maxBytes: MAX_RESPONSE_BYTES });
  } catch (err) {
    if (!(err instanceof FetchError)) throw err;
    error = err;
  }
  const attemptBase = {
    at: at.toISOString(),
    webhookTimestamp: Math.floor(at.getTime() / 1000),
    statusCode: response?.status ?? null,
    latencyMs: Math.round(performance.now() - started),
    responseExcerpt: response ? excerpt(response.body) : null,
  };
  const record = (outcome: AttemptOutcome, status: 'pending' | 'delivered' | 'dead' | 'cancelled', message: string | null) =>
    deliveries.recordAttempt(delivery.id, { ...attemptBase, error: message, outcome }, { status, error: message });

  if (error) {
    // A refused address or unusable URL will not improve with retries; everything else (timeout, DNS, reset) might.
    if (error.code === 'blocked-address' || error.code === 'bad-url' || error.code === 'unsupported-scheme') {
      const attempt = await record('refused', 'dead', `${error.code}: ${error.message}`);
      return { kind: 'refused', attempt, error: error.message };
    }
    const message = `${error.code}: ${error.message}`;
    const attempt = await record('failed', 'pending', message);
    return failureOutcome(attempt, null, message, await noteFailure(endpoint, deps));
  }
  const res = response as FetchedResource;
  if (res.status >= 200 && res.status < 300) {
    const attempt = await record('delivered', 'delivered', null);
    await endpoints.recordSuccess(endpoint.id, deps.clock.now());
    return { kind: 'delivered', attempt, status: res.status };
  }
  if (res.status === 410) {
    const attempt = await record('gone', 'cancelled', 'HTTP 410 Gone: endpoint disabled');
    return { kind: 'gone', attempt, enqueue: await disableEndpoint(endpoint, 'the receiver answered 410 Gone', null, deps) };
  }
  if (res.status === 429 || res.status === 503) {
    const delayMs = receiverRetryAfterMs(res.headers['retry-after'], deps.clock.now());
    if (delayMs !== null && (await deliveries.laterCount(delivery.id)) < (deps.maxLater ?? DEFAULT_MAX_LATER)) {
      const attempt = await record('later', 'pending', `HTTP ${res.status}: retry after ${Math.round(delayMs / 1000)} s`);
      return { kind: 'later', attempt, status: res.status, delayMs };
    }
  }
  const message = res.status >= 300 && res.status < 400 ? `HTTP ${res.status}: redirect not followed${res.headers.location ? ` (to ${res.headers.location})` : ''}` : `HTTP ${res.status}`;
  const attempt = await record('failed', 'pending', message);
  return failureOutcome(attempt, res.status, message, await noteFailure(endpoint, deps));
}

function failureOutcome(attempt: number, status: number | null, error: string, after: { disabled: boolean; enqueue: string[] }): DeliveryOutcome {
  // Disabled by this failure: the delivery was cancelled with the endpoint's other pending ones; no retry.
  if (after.disabled) return { kind: 'gone', attempt, enqueue: after.enqueue };
  return { kind: 'failed', attempt, status, error, enqueue: after.enqueue };
}

/** The last attempt failed and no retry is left: the delivery is dead-lettered, kept for replay. */
export async function markDeliveryDead(deliveryId: string, reason: string, deps: Pick<DeliverDeps, 'storage' | 'clock'>): Promise<void> {
  await deps.storage.deliveries.setStatus(deliveryId, 'dead', `retries exhausted: ${reason}`, deps.clock.now());
}

/** Records a failure; an endpoint failing (no success at all) for longer than its `disableAfter` is disabled. */
async function noteFailure(endpoint: AlertEndpoint, deps: DeliverDeps): Promise<{ disabled: boolean; enqueue: string[] }> {
  const now = deps.clock.now();
  const states = deps.storage.endpoints;
  const failingSince = await states.recordFailure(endpoint.id, now);
  if (now.getTime() - failingSince.getTime() < endpoint.disableAfter) return { disabled: false, enqueue: [] };
  // Two failures days apart on a quiet endpoint are not "failing for days": ask for a real run of them.
  if ((await states.failuresSince(endpoint.id, failingSince)) < MIN_FAILURES_TO_DISABLE) return { disabled: false, enqueue: [] };
  const days = ((now.getTime() - failingSince.getTime()) / 86_400_000).toFixed(1);
  return { disabled: true, enqueue: await disableEndpoint(endpoint, `every delivery failed for ${days} days`, failingSince, deps) };
}

/**
 * Disables an endpoint (stored, so every worker stops sending to it), cancels its pending deliveries and
 * tells the `notify.endpointDisabled` endpoints with an `endpoint.disabled` event. Returns those deliveries.
 */
async function disableEndpoint(endpoint: AlertEndpoint, reason: string, failingSince: Date | null, deps: DeliverDeps): Promise<string[]> {
  const now = deps.clock.now();
  if (!(await deps.storage.endpoints.disable(endpoint.id, reason, now))) return [];
  await deps.storage.deliveries.cancelPendingFor(endpoint.id, `endpoint disabled: ${reason}`, now);
  const notify = (deps.rules().config.notify?.endpointDisabled ?? []).filter((id) => id !== endpoint.id);
  if (notify.length === 0) return [];
  const event = endpointDisabledEvent({ endpointId: endpoint.id, reason, failingSince, at: now, publicUrl: deps.publicUrl });
  return createDeliveries(deps.storage.deliveries, { endpointIds: notify, ruleId: null, event, eventKey: `${endpoint.id}-${now.getTime()}`, articleId: null }, deps.clock);
}

function excerpt(body: Buffer): string | null {
  if (body.length === 0) return null;
  // Cut on bytes, then drop a partial UTF-8 sequence at the end rather than store a replacement character.
  return body.subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8').replace(/\uFFFD$/, '');
}

/** What the deliver job does after one attempt, in the worker binding's terms. */
export type DeliverJobStep =
  | { next: 'done'; fields: Record<string, unknown>; warn?: { message: string; fields: Record<string, unknown> } }
  /** Wait this long without spending an attempt (the receiver's Retry-After). */
  | { next: 'later'; delayMs: number; reason: string }
  /** Retry on the webhook schedule. */
  | { next: 'retry'; error: string };

export interface DeliverJobDeps extends DeliverDeps {
  enqueue: Enqueue;
  /** Attempts per delivery job: attemptsFor(settings.alerts.retrySchedule). */
  deliveryAttempts: number;
}

/**
 * One deliver job: one attempt; the `endpoint.disabled` notices it raised are handed on; then the step the
 * binding takes. 429/503 with Retry-After waits without spending an attempt; other failures retry on the
 * schedule; the last failed attempt dead-letters the delivery (status `dead`, kept for replay) instead of
 * dropping it. `outcomes` are what the attempt counts toward (the deliveries metric).
 */
export async function runDeliverJob(deliveryId: string, job: { lastAttempt: boolean }, deps: DeliverJobDeps): Promise<{ outcomes: string[]; step: DeliverJobStep }> {
  const out = await deliverOnce(deliveryId, deps);
  if ('enqueue' in out && out.enqueue.length > 0) await enqueueDeliveries(deps.enqueue, out.enqueue, { attempts: deps.deliveryAttempts });
  const outcomes: string[] = [out.kind];
  const done = (fields: Record<string, unknown>, warn?: { message: string; fields: Record<string, unknown> }) => ({ outcomes, step: { next: 'done' as const, fields: { deliveryId, ...fields }, ...(warn ? { warn } : {}) } });
  switch (out.kind) {
    case 'later':
      return { outcomes, step: { next: 'later', delayMs: out.delayMs, reason: `receiver asked to retry in ${out.delayMs} ms` } };
    case 'failed':
      if (!job.lastAttempt) return { outcomes, step: { next: 'retry', error: out.error } };
      await markDeliveryDead(deliveryId, out.error, deps);
      outcomes.push('dead');
      return done({ outcome: 'dead', attempt: out.attempt, status: out.status, error: out.error });
    case 'gone':
      return done(
        { outcome: out.kind, attempt: out.attempt },
        { message: 'webhook endpoint disabled; nothing more is sent to it', fields: { deliveryId, endpointDisabled: true, notified: out.enqueue.length } },
      );
    case 'refused':
      return done({ outcome: out.kind, attempt: out.attempt }, { message: 'webhook refused before sending (address or URL); dead-lettered', fields: { deliveryId, error: out.error } });
    case 'skipped':
      return done({ outcome: out.kind, reason: out.reason });
    case 'delivered':
      return done({ outcome: out.kind, attempt: out.attempt });
  }
}

/** The Standard Webhooks schedule has 7 delays: 8 attempts in all. */
const DEFAULT_ATTEMPTS = 8;

/**
 * Queues one deliver job per delivery id with `jobId` = `deliver-<id>`: the same delivery enqueued twice
 * (re-evaluation, replay of rules) is one job. `attempts` should be `attemptsFor(settings.alerts.retrySchedule)`.
 * A manual replay passes `replay` (the delivery's replay count) so a new job runs even while the old one is kept.
 */
export async function enqueueDeliveries(enqueue: Enqueue, ids: string[], options: { attempts?: number; replay?: number } = {}): Promise<void> {
  for (const deliveryId of ids) {
    const jobId = options.replay ? `${jobIds.deliver(deliveryId)}-replay-${options.replay}` : jobIds.deliver(deliveryId);
    await enqueue('deliver', { deliveryId }, { jobId, attempts: options.attempts ?? DEFAULT_ATTEMPTS, backoff: { type: WEBHOOK_BACKOFF } });
  }
}

export type ReplayResult = { id: string; status: 'pending'; replays: number; requeued: boolean } | null;

/**
 * Sends a delivery again with the same webhook-id. A finished one (delivered, dead, cancelled) is made
 * pending and gets a new job (`deliver-<id>-replay-<n>`). A pending one keeps its retry schedule: only its
 * original job id is queued, which is a no-op while that job exists, so a replay never races a retry into
 * a double send, yet a job lost from Redis is recreated. Null when there is no such delivery.
 */
export async function replayDelivery(deliveries: Pick<DeliveryRecords, 'get' | 'reopen'>, enqueue: Enqueue, id: string, options: { attempts: number; at: Date }): Promise<ReplayResult> {
  const current = await deliveries.get(id);
  if (!current) return null;
  if (current.status === 'pending') {
    await enqueueDeliveries(enqueue, [id], { attempts: options.attempts });
    return { id, status: 'pending', replays: current.replays, requeued: false };
  }
  const replays = await deliveries.reopen(id, options.at);
  if (replays === null) return null;
  await enqueueDeliveries(enqueue, [id], { attempts: options.attempts, replay: replays });
  return { id, status: 'pending', replays, requeued: true };
}
