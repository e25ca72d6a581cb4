import { systemClock, type ArticleWork, type Classification, type Clock, type ExtractedArticle, type ExtractionMethod, type FeedItem, type FetchedResource, type SafeFetcher, type TraceEntry } from '../domain/types.js';
import { countWords } from '../extract/block-text.js';
import { estimateConfidence } from '../extract/confidence.js';
import { decodeHtml } from '../extract/decode-html.js';
import type { DomEngine } from '../extract/dom-engine.js';
import { extractFromHtml } from '../extract/extract-html.js';
import type { ExtractionPool } from '../extract/extraction-pool.js';
import { feedHtmlToText } from '../extract/feed-text.js';
import { sanitizeArticleHtml } from '../extract/safe-html.js';
import type { HtmlExtraction } from '../extract/types.js';
import { FetchError } from '../fetch/fetch-error.js';
import { retryAfterMs } from '../fetch/retry-after.js';
import type { CanonicalClaims } from '../feeds/canonical-claims.js';
import { canonicalUrl } from '../feeds/canonical-url.js';
import { jobIds, type Enqueue } from '../queues/definitions.js';
import type { WorkStore } from '../queues/work-store.js';
import { enqueueClassify } from './classify.js';
import { classifyAndStoreInline, type InlineFollowOn } from './inline-follow-on.js';
import { PermanentStageError } from './stage-error.js';

/** What the extract stage needs. */
export interface ExtractDeps {
  fetcher: SafeFetcher;
  engine: DomEngine;
  /** Below this confidence the article is flagged `low-confidence` (marked for review). */
  minConfidence: number;
  /** Worker threads for the HTML step; without one it runs on the calling thread. */
  pool?: ExtractionPool;
  /** Reads "now" for an HTTP-date Retry-After; the system clock when absent. */
  clock?: Clock;
}

/**
 * A failure worth retrying (timeout, network, DNS, 5xx, 429): the stage throws it so BullMQ's
 * attempts/backoff apply. Everything permanent (404/410, other 4xx, blocked address, non-HTML, too
 * large) is a recorded fallback instead and never throws.
 */
export class TransientFetchError extends Error {
  override readonly name = 'TransientFetchError';

  constructor(
    message: string,
    readonly url: string,
    /** FetchError code or `http-<status>`. */
    readonly code: string,
    /** From a 429/503 `Retry-After`, when the server gave one. */
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Whether the extract stage failed in a way the queue should retry. */
export function isTransientExtractionError(err: unknown): err is TransientFetchError {
  return err instanceof TransientFetchError;
}

const ACCEPT = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5';
const HTML_TYPES = /^(?:text\/html|application\/xhtml\+xml|application\/xml|text\/xml)$/i;
const TRANSIENT_FETCH_CODES = new Set(['timeout', 'network', 'dns']);
// A page whose readable text is this short is a teaser, a wall or a gallery; a longer feed text wins.
const MIN_PAGE_WORDS = 60;

/**
 * The extract stage: fetch the article page through the safe fetcher, read the article from its HTML,
 * and fall back to the feed's own content or summary when the page cannot be used (recorded in
 * `method`, `fallbackReason` and `flags`). Throws only {@link TransientFetchError} (and the caller's
 * programming errors).
 */
export async function extractArticle(input: { url: string; item: FeedItem }, deps: ExtractDeps): Promise<ExtractedArticle> {
  const { url, item } = input;
  let res: FetchedResource;
  try {
    res = await deps.fetcher.fetch(url, { headers: { accept: ACCEPT } });
  } catch (err) {
    if (!(err instanceof FetchError)) throw err;
    if (TRANSIENT_FETCH_CODES.has(err.code)) throw new TransientFetchError(`fetching the article failed: ${err.message}`, url, err.code, undefined, { cause: err });
    return fromFeed(item, deps, { reason: `fetch-failed: ${err.code}: ${err.message}`, flags: ['fetch-failed', err.code] });
  }

  if (res.status === 429 || res.status >= 500) {
    const retryAfter = retryAfterMs(res.headers['retry-after'], (deps.clock ?? systemClock).now());
    throw new TransientFetchError(`article page answered ${res.status}`, url, `http-${res.status}`, retryAfter ?? undefined);
  }
  if (res.status < 200 || res.status >= 300) {
    return fromFeed(item, deps, { reason: `http-${res.status}`, flags: ['fetch-failed', `http-${res.status}`] });
  }

  const mediaType = (res.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType ? !HTML_TYPES.test(mediaType) : !looksLikeHtml(res.body)) {
    return fromFeed(item, deps, { reason: `non-html: ${mediaType || 'unknown type'}`, flags: ['non-html'] });
  }

  const { html } = decodeHtml(res.body, res.headers['content-type']);
  return articleFromHtml(html, res.finalUrl, item, deps);
}

/**
 * The HTML half of the stage, for a page already in hand (the CLI's `--file`): extraction on the pool or
 * the calling thread, then the same fallbacks and flags as {@link extractArticle}.
 */
export async function articleFromHtml(html: string, pageUrl: string, item: FeedItem, deps: Omit<ExtractDeps, 'fetcher'>): Promise<ExtractedArticle> {
  const options = { url: pageUrl, engine: deps.engine, feedSummary: item.summary || null };
  const page: HtmlExtraction = deps.pool ? await deps.pool.run(html, options) : extractFromHtml(html, options);

  if (page.failure) return fromFeed(item, deps, { reason: `${page.failure.reason}: ${page.failure.message}`, flags: page.flags, page });
  const wall = page.flags.find((f) => f === 'paywall' || f === 'consent-wall');
  const feedText = feedTextOf(item);
  if (wall && feedText.text) return fromFeed(item, deps, { reason: wall, flags: page.flags, page });
  if (page.wordCount < MIN_PAGE_WORDS && countWords(feedText.text) > page.wordCount) {
    return fromFeed(item, deps, { reason: `too-short: ${page.wordCount} words on the page`, flags: [...page.flags, 'too-short'], page });
  }

  const flags = [...page.flags];
  if (page.confidence < deps.minConfidence) flags.push('low-confidence');
  return {
    text: page.text,
    html: page.html,
    ...metadata(item, page),
    wordCount: page.wordCount,
    method: 'readability',
    confidence: page.confidence,
    flags,
    fallbackReason: null,
  };
}

/** The feed's own text: full content when it has some, else the summary. */
function feedTextOf(item: FeedItem): { text: string; html: string | null; method: ExtractionMethod } {
  const content = item.contentHtml ? feedHtmlToText(item.contentHtml) : '';
  // The feed's HTML is as hostile as any page's: stored only once sanitised.
  if (content && countWords(content) >= countWords(item.summary)) return { text: content, html: sanitizeArticleHtml(item.contentHtml ?? ''), method: 'feed-content' };
  return { text: item.summary.trim(), html: null, method: 'feed-summary' };
}

function fromFeed(item: FeedItem, deps: Pick<ExtractDeps, 'minConfidence'>, why: { reason: string; flags: string[]; page?: HtmlExtraction }): ExtractedArticle {
  const feed = feedTextOf(item);
  const wordCount = countWords(feed.text);
  const confidence = estimateConfidence({ wordCount, linkDensity: 0, text: feed.text });
  const flags = [...new Set(['fallback', ...why.flags])];
  if (confidence < deps.minConfidence) flags.push('low-confidence');
  return {
    text: feed.text,
    html: feed.html,
    ...metadata(item, why.page),
    wordCount,
    method: feed.method,
    confidence,
    flags,
    fallbackReason: why.reason,
  };
}

type Metadata = Pick<ExtractedArticle, 'title' | 'byline' | 'publishedAt' | 'modifiedAt' | 'lang' | 'siteName' | 'canonicalUrl' | 'leadImage'>;

/** Page metadata where the page gave it, the feed item's otherwise. */
function metadata(item: FeedItem, page: HtmlExtraction | undefined): Metadata {
  return {
    title: page?.title ?? (item.title || null),
    byline: page?.byline ?? item.author,
    publishedAt: page?.publishedAt ?? item.publishedAt,
    modifiedAt: page?.modifiedAt ?? null,
    lang: page?.lang ?? null,
    siteName: page?.siteName ?? null,
    canonicalUrl: page?.canonicalUrl ?? null,
    leadImage: page?.leadImage ?? item.enclosures.find((e) => e.type?.startsWith('image/'))?.url ?? null,
  };
}

function looksLikeHtml(body: Buffer): boolean {
  const head = body.subarray(0, 512).toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html') || /<(?:head|body|title|meta|p|div)\b/.test(head);
}

/**
 * The feed's own text when the page stayed unreachable through every retry (the queue's last attempt,
 * or a one-shot `scan`): the article is kept, marked `fetch-failed`, with the reason recorded.
 */
export function extractFromFeedAfterFailure(item: FeedItem, deps: Pick<ExtractDeps, 'minConfidence'>, reason: string): ExtractedArticle {
  return fromFeed(item, deps, { reason, flags: ['fetch-failed', 'retries-exhausted'] });
}

/** What a page fetch came to for one working document: its text, or a request to come back later. */
export type PageOutcome = { extracted: ExtractedArticle } | { retryAfterMs: number };

/**
 * The page's text for a working document. A transient failure is thrown so the queue retries it, except
 * that a page asking to be retried later (429/503 with Retry-After) gives `retryAfterMs` while `mayDefer`,
 * and on the last attempt (`last`; always, in a one-shot `scan`) the article goes on with the feed's own
 * text rather than being lost.
 */
export async function extractPage(work: Pick<ArticleWork, 'item' | 'canonicalUrl'>, deps: ExtractDeps, attempt: { last: true; mayDefer: false }): Promise<{ extracted: ExtractedArticle }>;
export async function extractPage(work: Pick<ArticleWork, 'item' | 'canonicalUrl'>, deps: ExtractDeps, attempt: { last: boolean; mayDefer: boolean }): Promise<PageOutcome>;
export async function extractPage(work: Pick<ArticleWork, 'item' | 'canonicalUrl'>, deps: ExtractDeps, attempt: { last: boolean; mayDefer: boolean }): Promise<PageOutcome> {
  try {
    return { extracted: await extractArticle({ url: work.item.link ?? work.canonicalUrl, item: work.item }, deps) };
  } catch (err) {
    if (!isTransientExtractionError(err)) throw err;
    if (attempt.mayDefer && err.retryAfterMs !== undefined) return { retryAfterMs: err.retryAfterMs };
    if (!attempt.last) throw err;
    return { extracted: extractFromFeedAfterFailure(work.item, deps, `${err.code}: ${err.message}`) };
  }
}

/** Times one article's job may wait out a page's Retry-After without spending an attempt (as deliver does). */
export const MAX_PAGE_DEFERRALS = 5;
/** Bounds on a page's Retry-After: at least a second, at most an hour (a story should not wait a day). */
const PAGE_RETRY_AFTER_MIN_MS = 1_000;
const PAGE_RETRY_AFTER_MAX_MS = 3_600_000;

export interface ExtractJobDeps {
  work: WorkStore;
  enqueue: Enqueue;
  clock: Clock;
  canonicals: CanonicalClaims;
  extract: Omit<ExtractDeps, 'clock'>;
  /** Given when this process runs classify and store too: the article goes on in the same job (see {@link InlineFollowOn}). */
  inline?: InlineFollowOn;
}

export type ExtractJobResult =
  /** `method` is set when the article goes on to classify (not when it merged into another). */
  | { next: 'done'; fields: Record<string, unknown>; method?: ExtractionMethod; classification?: Classification }
  /** The page asked to be retried later: delay the job without spending an attempt. */
  | { next: 'later'; delayMs: number; reason: string };

/**
 * The extract stage for one job: article id → page text (or the feed's own text) on the working document →
 * classify. `deferred` is how often this job already waited out a Retry-After. An article whose page names
 * a rel=canonical address another article already holds is merged into that one and goes no further.
 */
export async function runExtractJob(articleId: string, attempt: { last: boolean; deferred: number }, deps: ExtractJobDeps): Promise<ExtractJobResult> {
  const work = await deps.work.get(articleId);
  if (!work) throw new PermanentStageError(`article ${articleId} has no working document (expired)`);
  const started = deps.clock.now();
  const page = await extractPage(work, { ...deps.extract, clock: deps.clock }, { last: attempt.last, mayDefer: attempt.deferred < MAX_PAGE_DEFERRALS });
  if ('retryAfterMs' in page) {
    const delayMs = Math.min(PAGE_RETRY_AFTER_MAX_MS, Math.max(PAGE_RETRY_AFTER_MIN_MS, page.retryAfterMs));
    return { next: 'later', delayMs, reason: `article page asked to retry in ${delayMs} ms` };
  }
  const { extracted } = page;
  const trace: TraceEntry = {
    stage: 'extract',
    at: started.toISOString(),
    durationMs: deps.clock.now().getTime() - started.getTime(),
    outcome: extracted.method === 'readability' ? 'ok' : 'fallback',
    ...(extracted.fallbackReason ? { reason: extracted.fallbackReason } : {}),
  };
  await deps.work.setExtracted(articleId, extracted, trace);
  const holder = await claimPageCanonical(articleId, extracted.canonicalUrl, deps.canonicals);
  if (holder && (await mergeInto(holder, articleId, deps))) {
    return { next: 'done', fields: { articleId, duplicateOf: holder, reason: 'same rel=canonical page' } };
  }
  const fields = { articleId, method: extracted.method, words: extracted.wordCount, confidence: extracted.confidence, flags: extracted.flags };
  if (deps.inline) {
    const followOn = await classifyAndStoreInline({ ...work, extracted, trace: [...work.trace, trace] }, extracted, { ...deps, inline: deps.inline });
    return { next: 'done', method: extracted.method, fields: { ...followOn.fields, ...fields }, ...(followOn.classification ? { classification: followOn.classification } : {}) };
  }
  await enqueueClassify(deps.enqueue, articleId, extracted.text);
  return { next: 'done', method: extracted.method, fields };
}

/** The article already holding this page's canonical address, when it is another one. */
async function claimPageCanonical(articleId: string, pageCanonical: string | null, claims: CanonicalClaims): Promise<string | null> {
  const canonical = pageCanonical ? canonicalUrl(pageCanonical) : null;
  return canonical ? claims.claim(canonical, articleId) : null;
}

/**
 * Records this article's sightings on the article that holds the same page and lets the store stage
 * update it; this one goes no further. False when the holder's working document has expired (then this
 * article simply carries on as its own).
 */
async function mergeInto(holder: string, duplicate: string, deps: ExtractJobDeps): Promise<boolean> {
  const [target, source] = await Promise.all([deps.work.get(holder), deps.work.get(duplicate)]);
  if (!target || !source) return false;
  let sightings = target.sightings.length;
  for (const sighting of source.sightings) {
    ({ sightings } = await deps.work.addSighting({ id: holder, canonicalUrl: target.canonicalUrl, item: target.item, sighting }));
  }
  await deps.enqueue('store', { articleId: holder }, { jobId: jobIds.store(holder, `merged-${duplicate}-${sightings}`) });
  await deps.work.appendTrace(duplicate, { stage: 'extract', at: deps.clock.now().toISOString(), durationMs: 0, outcome: 'skipped', reason: `duplicate of ${holder} (same rel=canonical page)` });
  return true;
}
