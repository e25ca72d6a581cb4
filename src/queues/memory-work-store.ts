import type { ArticleSighting, ArticleWork, Classification, ExtractedArticle, FeedItem, TraceEntry } from '../domain/types.js';
import { shortHash } from '../lib/short-hash.js';
import { MissingWorkError, type WorkStore, type WorkText } from './work-store.js';

/**
 * Working documents in this process's memory, for a one-shot run (`scan`) and tests: the same contract as
 * the Redis store (the first sighting per feed wins), nothing outlives the process. Sightings stay in the
 * order they were added.
 */
export class MemoryWorkStore implements WorkStore {
  private readonly docs = new Map<string, { work: ArticleWork; sightings: Map<string, ArticleSighting> }>();

  async addSighting(input: { id: string; canonicalUrl: string; item: FeedItem; sighting: ArticleSighting }): Promise<{ created: boolean; sightings: number }> {
    let doc = this.docs.get(input.id);
    const created = doc === undefined;
    if (!doc) {
      doc = { work: { id: input.id, canonicalUrl: input.canonicalUrl, item: input.item, firstSeenAt: input.sighting.seenAt, sightings: [], trace: [] }, sightings: new Map() };
      this.docs.set(input.id, doc);
    }
    if (!doc.sightings.has(input.sighting.feedId)) doc.sightings.set(input.sighting.feedId, input.sighting);
    return { created, sightings: doc.sightings.size };
  }

  async get(id: string): Promise<ArticleWork | null> {
    const doc = this.docs.get(id);
    return doc ? this.snapshot(doc) : null;
  }

  async getText(id: string): Promise<WorkText | null> {
    const doc = this.docs.get(id);
    if (!doc) return null;
    let extracted: WorkText['extracted'] = null;
    if (doc.work.extracted) {
      const { html: _html, ...text } = doc.work.extracted;
      extracted = text;
    }
    return { id, item: doc.work.item, extracted, sightings: doc.sightings.size };
  }

  async updateItem(id: string, item: FeedItem): Promise<string> {
    this.mustHave(id).work.item = item;
    return shortHash(item);
  }

  async setExtracted(id: string, extracted: ExtractedArticle, trace: TraceEntry): Promise<void> {
    const doc = this.mustHave(id);
    doc.work.extracted = extracted;
    doc.work.trace.push(trace);
  }

  async setClassification(id: string, classification: Classification, trace: TraceEntry): Promise<void> {
    const doc = this.mustHave(id);
    doc.work.classification = classification;
    doc.work.trace.push(trace);
  }

  async appendTrace(id: string, trace: TraceEntry): Promise<void> {
    this.docs.get(id)?.work.trace.push(trace);
  }

  private mustHave(id: string): { work: ArticleWork; sightings: Map<string, ArticleSighting> } {
    const doc = this.docs.get(id);
    if (!doc) throw new MissingWorkError(id);
    return doc;
  }

  private snapshot(doc: { work: ArticleWork; sightings: Map<string, ArticleSighting> }): ArticleWork {
    return { ...doc.work, sightings: [...doc.sightings.values()], trace: [...doc.work.trace] };
  }
}
