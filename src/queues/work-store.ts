import type { RedisClient } from './connection.js';
import { shortHash } from '../lib/short-hash.js';
import type { ArticleSighting, ArticleWork, Classification, ExtractedArticle, FeedItem, TraceEntry } from '../domain/types.js';

/**
 * The working documents of articles in flight, kept in Redis so jobs carry only ids. A document lives
 * for `ttlSeconds` after its last change; by then the store stage has put the record in PostgreSQL.
 */
export interface WorkStore {
  /** Creates the document, or adds the sighting to an existing one. `created` is true only for the first. */
  addSighting(input: { id: string; canonicalUrl: string; item: FeedItem; sighting: ArticleSighting }): Promise<{ created: boolean; work: ArticleWork }>;
  get(id: string): Promise<ArticleWork | null>;
  /** Replaces the feed item (a republished edit) and returns a short revision of it for job ids. */
  updateItem(id: string, item: FeedItem): Promise<string>;
  setExtracted(id: string, extracted: ExtractedArticle, trace: TraceEntry): Promise<ArticleWork>;
  setClassification(id: string, classification: Classification, trace: TraceEntry): Promise<ArticleWork>;
  appendTrace(id: string, trace: TraceEntry): Promise<void>;
}

export class MissingWorkError extends Error {
  constructor(readonly articleId: string) {
    super(`no working document for article ${articleId} (expired or never created)`);
    this.name = 'MissingWorkError';
  }
}

const DEFAULT_TTL_SECONDS = 14 * 24 * 3600;

/**
 * Layout: `<prefix>:work:<id>` is a hash (base, extracted, classification), with the sightings in a hash
 * keyed by feed and the trace in a list beside it. Every change is a single atomic command, so pollers,
 * extractors and classifiers on any number of processes never overwrite each other's fields.
 */
export class RedisWorkStore implements WorkStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlSeconds = DEFAULT_TTL_SECONDS,
  ) {}

  private keys(id: string): { doc: string; sightings: string; trace: string } {
    const doc = `${this.prefix}:work:${id}`;
    return { doc, sightings: `${doc}:sightings`, trace: `${doc}:trace` };
  }

  async addSighting(input: { id: string; canonicalUrl: string; item: FeedItem; sighting: ArticleSighting }): Promise<{ created: boolean; work: ArticleWork }> {
    const k = this.keys(input.id);
    const base = { id: input.id, canonicalUrl: input.canonicalUrl, item: input.item, firstSeenAt: input.sighting.seenAt };
    // HSETNX decides atomically which poller saw the article first, across all processes.
    const results = await this.redis
      .multi()
      .hsetnx(k.doc, 'base', JSON.stringify(base))
      .hsetnx(k.sightings, input.sighting.feedId, JSON.stringify(input.sighting))
      .expire(k.doc, this.ttlSeconds)
      .expire(k.sightings, this.ttlSeconds)
      .exec();
    const created = results?.[0]?.[1] === 1;
    const work = await this.get(input.id);
    if (!work) throw new MissingWorkError(input.id);
    return { created, work };
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
    return {
      ...base,
      sightings,
      trace,
      ...(doc.extracted ? { extracted: JSON.parse(doc.extracted) as ExtractedArticle } : {}),
      ...(doc.classification ? { classification: JSON.parse(doc.classification) as Classification } : {}),
    };
  }

  async updateItem(id: string, item: FeedItem): Promise<string> {
    const k = this.keys(id);
    const raw = await this.redis.hget(k.doc, 'base');
    if (!raw) throw new MissingWorkError(id);
    const base = { ...(JSON.parse(raw) as Record<string, unknown>), item };
    await this.redis.multi().hset(k.doc, 'base', JSON.stringify(base)).expire(k.doc, this.ttlSeconds).exec();
    return shortHash(item);
  }

  async setExtracted(id: string, extracted: ExtractedArticle, trace: TraceEntry): Promise<ArticleWork> {
    await this.setField(id, 'extracted', extracted, trace);
    return this.mustGet(id);
  }

  async setClassification(id: string, classification: Classification, trace: TraceEntry): Promise<ArticleWork> {
    await this.setField(id, 'classification', classification, trace);
    return this.mustGet(id);
  }

  async appendTrace(id: string, trace: TraceEntry): Promise<void> {
    const k = this.keys(id);
    await this.redis.multi().rpush(k.trace, JSON.stringify(trace)).expire(k.trace, this.ttlSeconds).exec();
  }

  private async setField(id: string, field: 'extracted' | 'classification', value: unknown, trace: TraceEntry): Promise<void> {
    const k = this.keys(id);
    if ((await this.redis.hexists(k.doc, 'base')) !== 1) throw new MissingWorkError(id);
    await this.redis
      .multi()
      .hset(k.doc, field, JSON.stringify(value))
      .rpush(k.trace, JSON.stringify(trace))
      .expire(k.doc, this.ttlSeconds)
      .expire(k.sightings, this.ttlSeconds)
      .expire(k.trace, this.ttlSeconds)
      .exec();
  }

  private async mustGet(id: string): Promise<ArticleWork> {
    const work = await this.get(id);
    if (!work) throw new MissingWorkError(id);
    return work;
  }
}
