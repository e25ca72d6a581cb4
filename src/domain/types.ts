/**
 * The domain types every part of framewatch speaks. Stages, stores, the HTTP API and the CLI exchange
 * these shapes; each module owns its own internal types.
 */

/** A feed as configured in `config/feeds.yaml`, after validation. */
export interface FeedConfig {
  /** Stable id derived from the URL (see `feedIdFor`), used in job ids, keys and the store. */
  id: string;
  url: string;
  name: string;
  intervalMs: number;
  tags: string[];
  request: FeedRequestOptions;
}

/** Per-feed request options for sites that need them. */
export interface FeedRequestOptions {
  headers?: Record<string, string>;
  userAgent?: string;
  cookies?: string;
  basicAuth?: { username: string; password: string };
  /** HTTP(S) proxy URL for this feed; may sit on a private network (the target may not). */
  proxy?: string;
}

/** One entry of a parsed feed, normalised across RSS, Atom and JSON Feed. */
export interface FeedItem {
  guid: string | null;
  /** Absolute link to the article page as the feed gives it (resolved against xml:base / feed URL). */
  link: string | null;
  title: string;
  /** ISO 8601; when the feed's date could not be parsed this is the time first seen and `dateFlagged` is set. */
  publishedAt: string | null;
  dateFlagged?: boolean;
  /** Plain text summary (HTML stripped). */
  summary: string;
  /** Full HTML content when the feed carries it (content:encoded, atom content, content_html). */
  contentHtml: string | null;
  author: string | null;
  categories: string[];
  enclosures: { url: string; type: string | null; length: number | null }[];
}

export type FeedFormat = 'rss' | 'rdf' | 'atom' | 'jsonfeed';

export interface ParsedFeed {
  format: FeedFormat;
  title: string | null;
  link: string | null;
  items: FeedItem[];
  /** Publisher's polling hints. */
  ttlMs?: number;
  updatePeriodMs?: number;
}

/** A response read through the safe fetcher. */
export interface FetchedResource {
  requestedUrl: string;
  /** URL after redirects. */
  finalUrl: string;
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Body after content-encoding was removed, within the size cap. */
  body: Buffer;
  redirects: string[];
  durationMs: number;
}

export interface FetchOptions {
  method?: 'GET' | 'POST' | 'HEAD';
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
  maxBytes?: number;
  /** 0 turns redirects into a returned 3xx response (webhooks). */
  maxRedirects?: number;
  /** HTTP(S) proxy URL for this request. */
  proxy?: string;
  signal?: AbortSignal;
}

/** One outbound HTTP client for feeds, pages and webhooks (see src/fetch). */
export interface SafeFetcher {
  fetch(url: string, options?: FetchOptions): Promise<FetchedResource>;
}

export type ExtractionMethod = 'readability' | 'feed-content' | 'feed-summary';

/** What the extract stage produces for one article page. */
export interface ExtractedArticle {
  text: string;
  html: string | null;
  title: string | null;
  byline: string | null;
  publishedAt: string | null;
  modifiedAt: string | null;
  lang: string | null;
  siteName: string | null;
  canonicalUrl: string | null;
  leadImage: string | null;
  wordCount: number;
  method: ExtractionMethod;
  /** 0..1; below the configured floor the article is marked for review. */
  confidence: number;
  /** e.g. `paywall`, `consent-wall`, `non-html`, `fetch-failed`, `dom-error`, `low-confidence`. */
  flags: string[];
  /** Why the page itself could not be used, when the text came from the feed instead. */
  fallbackReason: string | null;
}

export type SanctionsDirection = 'imposed' | 'tightened' | 'eased' | 'lifted' | 'unclear';

export interface LabelEvidence {
  /** The supporting sentence, exactly `source.slice(start, end)`. */
  text: string;
  start: number;
  end: number;
  /** Which text the offsets index: the stored article text or its title. */
  field: 'text' | 'title';
  terms: string[];
}

export interface AppliedLabel {
  id: string;
  score: number;
  groups: string[];
  evidence: LabelEvidence[];
  /** The statistical model's strongest features for this label. */
  features?: string[];
  direction?: SanctionsDirection;
  directionEvidence?: LabelEvidence[];
}

export interface Classification {
  labels: AppliedLabel[];
  /** 0..1: how much the text is inside the framework's context (the scope gate's score). */
  relevance: number;
  /** Framework version (content hash of framework.yaml). */
  framework: string;
  /** Model / classifier version (content hash of the model artifact). */
  model: string;
  /**
   * The language the article was read in (ISO 639-1), or the one found when it is not a language the
   * framework covers; null when none could be found. Absent on results stored before issue 16.
   */
  lang?: string | null;
  /** Set (with no labels) when the article's language is not one the classifier reads. */
  unsupported?: { lang: string | null; reason: string };
}

export interface ClassifierInput {
  title: string;
  text: string;
  /** The language the page or feed declared (`uk-UA`, `de`, …); the text's own language wins when clear. */
  lang?: string | null;
}

export interface Classifier {
  readonly framework: string;
  readonly model: string;
  classify(input: ClassifierInput): Classification;
}

/** One step of an article's path through the pipeline. */
export interface TraceEntry {
  stage: 'poll' | 'extract' | 'classify' | 'store' | 'alert';
  at: string;
  durationMs: number;
  outcome: 'ok' | 'fallback' | 'skipped' | 'failed';
  reason?: string;
  /** The classify stage: the language the article was read in (or found, when not covered). */
  lang?: string | null;
}

/** Where an article was seen: one row per (feed, article). */
export interface ArticleSighting {
  feedId: string;
  feedName: string;
  link: string | null;
  guid: string | null;
  seenAt: string;
}

/**
 * The working document of one article while it moves through the queues (kept in Redis; jobs carry only
 * its id). The store stage turns it into the reviewed record in PostgreSQL.
 */
export interface ArticleWork {
  id: string;
  canonicalUrl: string;
  item: FeedItem;
  sightings: ArticleSighting[];
  firstSeenAt: string;
  extracted?: ExtractedArticle;
  classification?: Classification;
  trace: TraceEntry[];
}

/** A feed's health as stored and served by the API. */
export type FeedHealthState = 'ok' | 'degraded' | 'failing' | 'quiet' | 'new';

export type FeedErrorClass =
  | 'permanent'
  | 'transient'
  | 'rate-limited'
  | 'bot-wall'
  | 'parse'
  | 'blocked'
  | 'too-large'
  | 'timeout';

export interface FeedError {
  class: FeedErrorClass;
  message: string;
  status?: number;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export type ReviewState = 'unreviewed' | 'confirmed' | 'rejected';

/** A label on a stored article, with its review state. `added` labels come from a reviewer, not the model. */
export interface StoredLabel extends AppliedLabel {
  review: ReviewState;
  source: 'classifier' | 'reviewer';
}

/** The reviewed record of one article, as PostgreSQL keeps it and the API serves it. */
export interface ArticleRecord {
  id: string;
  canonicalUrl: string;
  title: string;
  byline: string | null;
  publishedAt: string | null;
  firstSeenAt: string;
  fetchedAt: string | null;
  lang: string | null;
  /** Null once retention has dropped it. */
  text: string | null;
  html: string | null;
  summary: string;
  extraction: { method: ExtractionMethod; confidence: number; flags: string[]; fallbackReason: string | null } | null;
  labels: StoredLabel[];
  relevance: number | null;
  framework: string | null;
  model: string | null;
  sightings: ArticleSighting[];
  trace: TraceEntry[];
  needsReview: boolean;
  updatedAt: string;
}
