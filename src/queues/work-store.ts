import type { RedisClient } from './connection.js';
import { luaCommand, type LuaCommand } from '../lib/lua-command.js';
import { shortHash } from '../lib/short-hash.js';
import type { ArticleSighting, ArticleWork, Classification, ExtractedArticle, FeedItem, TraceEntry } from '../domain/types.js';

/** The extracted article without its HTML: what classifying it reads. */
export type ExtractedText = Omit<ExtractedArticle, 'html'>;

/** What the classify stage reads of a working document: no HTML, no trace, the sightings only counted. */
export interface WorkText {
  id: string;
  item: FeedItem;
  extracted: ExtractedText | null;
  /** How many feeds saw the article so far. */
  sightings: number;
}

/**
 * The working documents of articles in flight, kept in Redis so jobs carry only ids. A document lives
 * for `ttlSeconds` after its last change; by then the store stage has put the record in PostgreSQL.
 * Writers get no read-back: a stage already holds what it wrote, and reading back a page's text and HTML
 * after every write was most of what the queue cost.
 */
export interface WorkStore {
  /**
   * Creates the document, or adds the sighting to an existing one (the first sighting per feed wins).
   * `created` is true only for the first; `sightings` is how many feeds saw it, this one included.
   */
  addSighting(input: { id: string; canonicalUrl: string; item: FeedItem; sighting: ArticleSighting }): Promise<{ created: boolean; sightings: number }>;
  get(id: string): Promise<ArticleWork | null>;
  /** The document without its HTML and trace (see {@link WorkText}); null when it does not exist. */
  getText(id: string): Promise<WorkText | null>;
  /** Replaces the feed item (a republished edit) and returns a short revision of it for job ids. */
  updateItem(id: string, item: FeedItem): Promise<string>;
  /** Throws {@link MissingWorkError} when the document does not exist (expired). */
  setExtracted(id: string, extracted: ExtractedArticle, trace: TraceEntry): Promise<void>;
  /** Throws {@link MissingWorkError} when the document does not exist (expired). */
  setClassification(id: string, classification: Classification, trace: TraceEntry): Promise<void>;
  appendTrace(id: string, trace: TraceEntry): Promise<void>;
}

export class MissingWorkError extends Error {
  constructor(readonly articleId: string) {
    super(`no working document for article ${articleId} (expired or never created)`);
    this.name = 'MissingWorkError';
  }
}

const DEFAULT_TTL_SECONDS = 14 * 24 * 3600;

// KEYS: doc, sightings. ARGV: base JSON, feed id, sighting JSON, ttl. HSETNX decides atomically which
// poller saw the article first, across all processes. Returns {created, sightings}.
const ADD_SIGHTING = `
local created = redis.call('HSETNX', KEYS[1], 'base', ARGV[1])
redis.call('HSETNX', KEYS[2], ARGV[2], ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])
return {created, redis.call('HLEN', KEYS[2])}
`;

// KEYS: doc, sightings, trace. ARGV: ttl, trace entry JSON, n fields to delete, those fields, then field/value
// pairs to set. Nothing is written to a document that does not exist (returns 0): a stage must not
// resurrect an expired article as a document without its feed item.
const SET_STAGE = `
if redis.call('HEXISTS', KEYS[1], 'base') == 0 then return 0 end
local n = tonumber(ARGV[3])
for i = 4, 3 + n do redis.call('HDEL', KEYS[1], ARGV[i]) end
for i = 4 + n, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('RPUSH', KEYS[3], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[3], ARGV[1])
return 1
`;

/**
 * Layout: `<prefix>:work:<id>` is a hash (base, extracted without its HTML, html, classification), with the
 * sightings in a hash keyed by feed and the trace in a list beside it; all three share the prefix's hash
 * tag (one cluster slot). Every change is one script, atomic, in one round trip, so pollers, extractors and
 * classifiers on any number of processes never overwrite each other's fields. Documents written by an
 * older version (the HTML inside `extracted`) are still read.
 */
export class RedisWorkStore implements WorkStore {
  private readonly addSightingScript: LuaCommand;
  private readonly setStageScript: LuaCommand;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlSeconds = DEFAULT_TTL_SECONDS,
  ) {
    this.addSightingScript = luaCommand(redis, 'framewatchAddSighting', 2, ADD_SIGHTING);
    this.setStageScript = luaCommand(redis, 'framewatchSetStage', 3, SET_STAGE);
  }

  private keys(id: string): { doc: string; sightings: string; trace: string } {
    const doc = `${this.prefix}:work:${id}`;
    return { doc, sightings: `${doc}:sightings`, trace: `${doc}:trace` };
  }

  async addSighting(input: { id: string; canonicalUrl: string; item: FeedItem; sighting: ArticleSighting }): Promise<{ created: boolean; sightings: number }> {
    const k = this.keys(input.id);
    const base = { id: input.id, canonicalUrl: input.canonicalUrl, item: input.item, firstSeenAt: input.sighting.seenAt };
    const [created, sightings] = (await this.addSightingScript(k.doc, k.sightings, JSON.stringify(base), input.sighting.feedId, JSON.stringify(input.sighting), this.ttlSeconds)) as [number, number];
    return { created: created === 1, sightings };
  }

  async get(id: string): Promise<ArticleWork | null> {
    const k = this.keys(id);
    const results = await this.redis.multi().hgetall(k.doc).hvals(k.sightings).lrange(k.trace, 0, -1).exec();
    const doc = (results?.[0]?.[1] ?? {}) as Record<string, string>;
    if (!doc.base) return null;
    const sightings = ((results?.[1]?.[1] ?? []) as string[]).map((s) => JSON.parse(s) as ArticleSighting);
    sightings.sort((a, b) => a.seenAt.localeCompare(b.seenAt) || a.feedId.localeCompare(b.feedId));
    const trace = ((results?.[2]?.[1] ?? []) as string[]).map((t) => JSON.parse(t) as TraceEntry);
    const base = JSON.parse(doc.base) as Pick<ArticleWork, 'id' | 'canonicalUrl' | 'item' | 'firstSeenAt'>;
    const extracted = doc.extracted ? (JSON.parse(doc.extracted) as ExtractedText & { html?: string | null }) : null;
    return {
      ...base,
      sightings,
      trace,
      ...(extracted ? { extracted: { ...extracted, html: doc.html ?? extracted.html ?? null } } : {}),
      ...(doc.classification ? { classification: JSON.parse(doc.classification) as Classification } : {}),
    };
  }

  async getText(id: string): Promise<WorkText | null> {
    const k = this.keys(id);
    const results = await this.redis.multi().hmget(k.doc, 'base', 'extracted').hlen(k.sightings).exec();
    const [base, extracted] = (results?.[0]?.[1] ?? []) as (string | null)[];
    if (!base) return null;
    const { item } = JSON.parse(base) as Pick<ArticleWork, 'item'>;
    let text: ExtractedText | null = null;
    if (extracted) {
      // A document of an older version keeps the HTML inside `extracted`: not handed on.
      const { html: _html, ...rest } = JSON.parse(extracted) as ExtractedText & { html?: unknown };
      text = rest;
    }
    return { id, item, extracted: text, sightings: Number(results?.[1]?.[1] ?? 0) };
  }

  async updateItem(id: string, item: FeedItem): Promise<string> {
    const k = this.keys(id);
    const raw = await this.redis.hget(k.doc, 'base');
    if (!raw) throw new MissingWorkError(id);
    const base = { ...(JSON.parse(raw) as Record<string, unknown>), item };
    await this.redis.multi().hset(k.doc, 'base', JSON.stringify(base)).expire(k.doc, this.ttlSeconds).exec();
    return shortHash(item);
  }

  async setExtracted(id: string, extracted: ExtractedArticle, trace: TraceEntry): Promise<void> {
    const { html, ...text } = extracted;
    // An edit extracted again without HTML must not leave the earlier page's HTML behind.
    if (html === null) await this.setStage(id, trace, ['html'], ['extracted', JSON.stringify(text)]);
    else await this.setStage(id, trace, [], ['extracted', JSON.stringify(text), 'html', html]);
  }

  async setClassification(id: string, classification: Classification, trace: TraceEntry): Promise<void> {
    await this.setStage(id, trace, [], ['classification', JSON.stringify(classification)]);
  }

  async appendTrace(id: string, trace: TraceEntry): Promise<void> {
    const k = this.keys(id);
    await this.redis.multi().rpush(k.trace, JSON.stringify(trace)).expire(k.trace, this.ttlSeconds).exec();
  }

  private async setStage(id: string, trace: TraceEntry, remove: string[], set: string[]): Promise<void> {
    const k = this.keys(id);
    const done = await this.setStageScript(k.doc, k.sightings, k.trace, this.ttlSeconds, JSON.stringify(trace), remove.length, ...remove, ...set);
    if (done !== 1) throw new MissingWorkError(id);
  }
}
