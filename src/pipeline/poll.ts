import type { FeedHealth, FeedHealthEvent, FeedState } from '../domain/feed-state.js';
import type { Clock, FeedConfig, FeedError, FeedItem, FetchedResource, SafeFetcher } from '../domain/types.js';
import type { Settings } from '../config/settings-schema.js';
import { FetchError } from '../fetch/fetch-error.js';
import { retryAfterMs } from '../fetch/retry-after.js';
import { articleIdFor, canonicalUrlForItem } from '../feeds/canonical-url.js';
import { errorForException, errorForResponse, isBotWall } from '../feeds/failure.js';
import { FeedParseError } from '../feeds/feed-parse-error.js';
import { initialFeedState, healthOf } from '../feeds/feed-state.js';
import { healthEventFor, healthStateOf } from '../feeds/health.js';
import { newestItems } from '../feeds/newest-items.js';
import { parseFeed } from '../feeds/parse-feed.js';
import { feedRequestHeaders } from '../feeds/request-headers.js';
import { failureBackoffDelay, nextPollDelay, shouldPollUnconditionally, updateRhythm } from '../feeds/schedule.js';
import { fingerprintFor, seenKeyFor, type SeenItems } from '../feeds/seen-items.js';
import type { PollLock } from '../feeds/poll-lock.js';
import type { TitleIndex } from '../feeds/title-index.js';
import { jobIds, type Enqueue } from '../queues/definitions.js';
import type { WorkStore } from '../queues/work-store.js';
import type { FeedStateStore } from '../store/feed-state-store.js';

/** One entry handed on by a poll. */
export interface NewFeedItem {
  articleId: string;
  canonicalUrl: string;
  item: FeedItem;
  /** The article already holding this headline (a syndicated copy under another URL). */
  duplicateOf?: string;
  /** A known entry whose title, link or content changed (a republished edit): same article id, update it. */
  updated?: boolean;
}

export interface PollDeps {
  fetcher: SafeFetcher;
  state: FeedStateStore;
  seen: SeenItems;
  titles: TitleIndex;
  clock: Clock;
  settings: Settings['poll'];
  /**
   * Optional: called with the new entries before they are recorded as seen, so a crash between handing
   * them on and recording them re-delivers rather than loses them. Without it, the caller takes
   * `result.newItems` (at-most-once if the process dies right after the poll).
   */
  deliver?: (items: NewFeedItem[]) => Promise<void>;
  /**
   * Optional: called with a health event before the feed's new state is saved, so a crash in between
   * raises it again on the retried poll instead of losing it (the event is recorded in the store either way).
   */
  onHealthEvent?: (event: FeedHealthEvent) => Promise<void>;
  /** Poll even when the feed's adaptive next-poll time has not come (CLI, tests, manual refresh). */
  force?: boolean;
}

interface PollOutcome {
  feedId: string;
  nextPollAt: Date;
}

export type PollResult =
  | (PollOutcome & {
      status: 'ok' | 'not-modified' | 'failed';
      httpStatus: number | null;
      newItems: NewFeedItem[];
      itemsSeen: number;
      error: FeedError | null;
      health: FeedHealth;
      healthEvent: FeedHealthEvent | null;
    })
  | (PollOutcome & { status: 'skipped'; reason: string });

/** A scheduler tick this close to the due time polls now rather than waiting a whole tick more. */
const DUE_TOLERANCE_MAX_MS = 5 * 60_000;

/**
 * poll: fetch one feed (conditionally), parse it, and hand on the entries not taken in before. The feed's
 * own failures (HTTP errors, bot walls, parse errors, blocked or oversized responses, timeouts) are
 * recorded on its state and returned as status `failed`, never thrown; the feed stays scheduled with a
 * capped back-off. Redis or PostgreSQL errors are thrown so the queue retries the job.
 */
export async function pollFeed(feed: FeedConfig, deps: PollDeps): Promise<PollResult> {
  const now = deps.clock.now();
  const stored = await deps.state.get(feed.id);
  const state: FeedState = stored ?? initialFeedState(feed.id, feed.url);
  if (stored && stored.url !== feed.url) {
    // The configured URL changed: the old validators belong to another resource.
    state.url = feed.url;
    state.etag = null;
    state.lastModified = null;
  }
  const tolerance = Math.min(feed.intervalMs / 4, DUE_TOLERANCE_MAX_MS);
  // A plan made for another configured interval (feeds.yaml was edited) is void: poll now.
  const planStands = state.intervalMs === null || state.intervalMs === feed.intervalMs;
  if (!deps.force && planStands && state.nextPollAt && state.nextPollAt.getTime() - now.getTime() > tolerance) {
    return { feedId: feed.id, status: 'skipped', reason: `not due until ${state.nextPollAt.toISOString()}`, nextPollAt: state.nextPollAt };
  }

  const conditional = !shouldPollUnconditionally(state.pollsSinceUnconditional, deps.settings.unconditionalEvery);
  let response: FetchedResource;
  try {
    response = await deps.fetcher.fetch(feed.url, { headers: feedRequestHeaders(feed, state, conditional), ...(feed.request.proxy ? { proxy: feed.request.proxy } : {}) });
  } catch (err) {
    // Anything but the fetcher's own typed error is ours (Redis host limiter down, a bug): let the queue retry.
    if (!(err instanceof FetchError)) throw err;
    return fail(feed, deps, state, now, errorForException(err), null, null);
  }
  state.polls += 1;
  state.pollsSinceUnconditional = conditional ? state.pollsSinceUnconditional + 1 : 0;
  state.lastPolledAt = now;
  state.lastHttpStatus = response.status;

  if (response.status === 304) {
    // A 304 may carry refreshed validators (RFC 9110 §15.4.5); keep the newest.
    state.etag = response.headers.etag ?? state.etag;
    state.lastModified = response.headers['last-modified'] ?? state.lastModified;
    return succeed(feed, deps, state, now, response, [], null);
  }
  if (response.status < 200 || response.status >= 300) {
    return fail(feed, deps, state, now, errorForResponse(response.status, response.headers, response.body), response.status, retryAfterMs(response.headers['retry-after'], now));
  }
  let items: FeedItem[];
  let hints: { ttlMs?: number; updatePeriodMs?: number };
  try {
    const parsed = parseFeed(response.body, { url: response.finalUrl, contentType: response.headers['content-type'] ?? null });
    items = parsed.items;
    hints = { ...(parsed.ttlMs ? { ttlMs: parsed.ttlMs } : {}), ...(parsed.updatePeriodMs ? { updatePeriodMs: parsed.updatePeriodMs } : {}) };
  } catch (caught) {
    // parseFeed is pure: whatever it throws (even a bug tripped by a strange body) is this feed's parse
    // failure, recorded on the feed, never a job retry loop.
    const err = caught instanceof FeedParseError ? caught : new FeedParseError('invalid-xml', `could not read the feed: ${caught instanceof Error ? caught.message : String(caught)}`, { cause: caught });
    const error = err.code === 'html-page' && isBotWall(response.status, response.headers, response.body) ? errorForResponse(403, response.headers, response.body) : errorForException(err);
    if (error.class === 'bot-wall') error.status = response.status;
    return fail(feed, deps, state, now, error, response.status, null);
  }
  // Validators are kept only from a response we could read: a broken body must be fetched again in full.
  state.etag = response.headers.etag ?? null;
  state.lastModified = response.headers['last-modified'] ?? null;
  return succeed(feed, deps, state, now, response, items, hints);
}

async function succeed(feed: FeedConfig, deps: PollDeps, state: FeedState, now: Date, response: FetchedResource, listed: FeedItem[], hints: { ttlMs?: number; updatePeriodMs?: number } | null): Promise<PollResult> {
  // Only the newest entries of a feed that lists too many are looked at; the rest are counted on its health.
  const { items, leftOut } = newestItems(listed, deps.settings.maxItemsPerPoll);
  if (response.status !== 304) state.itemsOverCap = leftOut;
  const firstSeen = now.toISOString();
  const entries = items.map((item) => {
    const filled: FeedItem = item.publishedAt ? item : { ...item, publishedAt: firstSeen, dateFlagged: true };
    return { item: filled, key: seenKeyFor(item), fingerprint: fingerprintFor(item), articleId: undefined as string | undefined };
  });
  const { fresh, changed, articleIds = {} } = await deps.seen.check(feed.id, entries);
  const freshSet = new Set(fresh);
  const changedSet = new Set(changed);
  // Claims run concurrently (one Redis round trip for a feed's whole backlog, not one per entry); each
  // claim is an atomic SET NX, so concurrent claims of one headline still agree on a single first holder.
  const newItems: NewFeedItem[] = await Promise.all(
    entries
      .filter((e) => freshSet.has(e.key) || changedSet.has(e.key))
      .map(async (e): Promise<NewFeedItem> => {
        const canonicalUrl = canonicalUrlForItem(e.item, feed.id);
        // An edit keeps the article it was first taken in as, even when the edit changed its URL.
        const articleId = articleIds[e.key] ?? articleIdFor(canonicalUrl);
        e.articleId = articleId;
        const entry: NewFeedItem = { articleId, canonicalUrl, item: e.item };
        if (changedSet.has(e.key)) entry.updated = true;
        else {
          const holder = await deps.titles.claim(e.item.title, articleId);
          if (holder) entry.duplicateOf = holder;
        }
        return entry;
      }),
  );
  if (deps.deliver && newItems.length > 0) await deps.deliver(newItems);
  await deps.seen.record(
    feed.id,
    entries.filter((e) => freshSet.has(e.key) || changedSet.has(e.key)),
  );

  const freshCount = newItems.filter((n) => !n.updated).length;
  if (freshCount > 0) {
    // The first batch of a feed is its backlog, not a sign of its rhythm.
    if (state.lastSuccessAt) state.rhythmMs = updateRhythm(state.rhythmMs, state.lastNewItemAt, now);
    state.lastNewItemAt = now;
    state.itemsSeen += freshCount;
  }
  state.lastSuccessAt = now;
  state.consecutiveFailures = 0;
  state.failingSince = null;
  // A full response refreshes the publisher's hint; a 304 (no body) plans with the remembered one.
  if (hints) state.publisherHintMs = Math.max(hints.ttlMs ?? 0, hints.updatePeriodMs ?? 0) || null;
  const delay = nextPollDelay({
    intervalMs: feed.intervalMs,
    rhythmMs: state.rhythmMs,
    hints: { ttlMs: state.publisherHintMs, headers: response.headers },
    now,
    bounds: { floor: deps.settings.floor, ceiling: deps.settings.ceiling },
  });
  return finish(feed, deps, state, now, delay, {
    status: response.status === 304 ? 'not-modified' : 'ok',
    httpStatus: response.status,
    newItems,
    itemsSeen: listed.length,
    error: null,
  });
}

async function fail(feed: FeedConfig, deps: PollDeps, state: FeedState, now: Date, error: FeedError, httpStatus: number | null, retryAfter: number | null): Promise<PollResult> {
  if (httpStatus === null) {
    state.polls += 1;
    state.lastPolledAt = now;
  }
  state.consecutiveFailures += 1;
  state.failingSince ??= now;
  state.lastError = error;
  state.lastErrorAt = now;
  const delay = failureBackoffDelay({
    intervalMs: feed.intervalMs,
    consecutiveFailures: state.consecutiveFailures,
    retryAfterMs: retryAfter,
    bounds: { floor: deps.settings.floor, ceiling: deps.settings.ceiling },
  });
  return finish(feed, deps, state, now, delay, { status: 'failed', httpStatus, newItems: [], itemsSeen: 0, error });
}

async function finish(
  feed: FeedConfig,
  deps: PollDeps,
  state: FeedState,
  now: Date,
  delayMs: number,
  outcome: { status: 'ok' | 'not-modified' | 'failed'; httpStatus: number | null; newItems: NewFeedItem[]; itemsSeen: number; error: FeedError | null },
): Promise<PollResult> {
  const previous = state.healthState;
  state.healthState = healthStateOf(state, now);
  state.nextPollAt = new Date(now.getTime() + delayMs);
  state.intervalMs = feed.intervalMs;
  const healthEvent = healthEventFor(feed.id, previous, state.healthState, now, { error: state.lastError, lastNewItemAt: state.lastNewItemAt });
  if (healthEvent) {
    await deps.state.recordHealthEvent(healthEvent);
    if (deps.onHealthEvent) await deps.onHealthEvent(healthEvent);
  }
  await deps.state.save(state);
  return { feedId: feed.id, nextPollAt: state.nextPollAt, health: healthOf(state), healthEvent, ...outcome };
}

/** What handing a poll's new entries on needs: the working documents, the queues and the clock. */
export interface HandOnDeps {
  work: WorkStore;
  enqueue: Enqueue;
  clock: Clock;
}

/**
 * Hands a poll's new entries on; returns how many articles were new. A new article gets a working document
 * and an extract job; an article already known (the same story in another feed) gets its sighting recorded
 * through the store stage; a republished edit is extracted and classified again. Entries are independent
 * (each Redis write is atomic), so a feed's backlog goes out in one round of requests.
 */
export async function handOnItems(feed: FeedConfig, items: NewFeedItem[], deps: HandOnDeps): Promise<number> {
  const created = await Promise.all(items.map((entry) => handOnOne(feed, entry, deps)));
  return created.filter(Boolean).length;
}

async function handOnOne(feed: FeedConfig, entry: NewFeedItem, deps: HandOnDeps): Promise<boolean> {
  const articleId = entry.duplicateOf ?? entry.articleId;
  const sighting = { feedId: feed.id, feedName: feed.name, link: entry.item.link, guid: entry.item.guid, seenAt: deps.clock.now().toISOString() };
  const { created, sightings } = await deps.work.addSighting({ id: articleId, canonicalUrl: entry.canonicalUrl, item: entry.item, sighting });
  if (created) {
    await deps.enqueue('extract', { articleId }, { jobId: jobIds.extract(articleId) });
  } else if (entry.updated && !entry.duplicateOf) {
    const revision = await deps.work.updateItem(articleId, entry.item);
    await deps.enqueue('extract', { articleId }, { jobId: jobIds.extract(articleId, revision) });
  } else {
    await deps.enqueue('store', { articleId }, { jobId: jobIds.store(articleId, `seen-${sightings}`) });
  }
  return created;
}

export interface PollJobDeps extends HandOnDeps {
  /** The poll's own I/O (fetcher, feed state, seen items, titles, settings). */
  poll: Omit<PollDeps, 'deliver' | 'force' | 'clock'>;
  /** The feeds configured now (follows reloads of feeds.yaml). */
  feeds: { get(id: string): FeedConfig | undefined };
  lock: PollLock;
}

/**
 * The poll stage for one job: feed id → poll (one at a time per feed, under `lock` held as `token`) → new
 * entries handed on before the poll records them as seen, so a crash in between re-delivers (deterministic
 * job ids absorb the repeat) → a `feed-health` alert job when the feed's health changed. Returns the job's
 * log fields.
 */
export async function runPollJob(feedId: string, token: string, deps: PollJobDeps): Promise<Record<string, unknown>> {
  const feed = deps.feeds.get(feedId);
  // A scheduler tick for a feed removed from feeds.yaml a moment ago: nothing to do.
  if (!feed) return { feedId, skipped: 'feed no longer configured' };
  if (!(await deps.lock.acquire(feedId, token))) return { feedId, skipped: 'a poll of this feed is already running' };
  let articlesNew = 0;
  let result: PollResult;
  try {
    const deliver = async (items: NewFeedItem[]) => void (articlesNew += await handOnItems(feed, items, deps));
    result = await pollFeed(feed, { ...deps.poll, clock: deps.clock, deliver });
  } finally {
    await deps.lock.release(feedId, token);
  }
  if (result.status === 'skipped') return { feedId, skipped: result.reason, nextPollAt: result.nextPollAt.toISOString() };
  if (result.healthEvent) {
    const eventId = result.healthEvent.id;
    await deps.enqueue('alert', { kind: 'feed-health', feedId: feed.id, eventId }, { jobId: jobIds.alertFeedHealth(eventId) });
  }
  return {
    feedId,
    status: result.status,
    statusCode: result.httpStatus,
    itemsSeen: result.itemsSeen,
    itemsNew: result.newItems.length,
    articlesNew,
    health: result.health.state,
    ...(result.error ? { error: result.error } : {}),
    nextPollAt: result.nextPollAt.toISOString(),
  };
}
