import type { ArticleWork } from '../domain/types.js';
import { DatabaseUnavailableError } from './database-error.js';
import type { ArticleStore, SaveResult, StageTraceEntry } from './article-store.js';

interface PendingSave {
  work: ArticleWork;
  stageEntry?: StageTraceEntry;
  resolve: (result: SaveResult) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for the store stage: saves that arrive while a transaction is in flight wait and go
 * together in the next one, so a burst costs one commit per batch rather than one per article, and a lone
 * save still goes at once. Each caller gets its own result or error: a batch that fails for a reason of
 * its own (not the database being away) is retried one save per transaction, so one bad article fails
 * only its own job. Every save is the same idempotent upsert as {@link ArticleStore.saveArticle}.
 */
export class ArticleSaveBatcher {
  private pending: PendingSave[] = [];
  private running = 0;

  constructor(
    private readonly store: Pick<ArticleStore, 'saveArticle' | 'saveArticles'>,
    private readonly options: { maxBatch: number; maxInFlight: number } = { maxBatch: 32, maxInFlight: 2 },
  ) {}

  saveArticle(work: ArticleWork, stageEntry?: StageTraceEntry): Promise<SaveResult> {
    return new Promise<SaveResult>((resolve, reject) => {
      this.pending.push({ work, ...(stageEntry ? { stageEntry } : {}), resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.running < this.options.maxInFlight && this.pending.length > 0) {
      const batch = this.pending.splice(0, this.options.maxBatch);
      this.running++;
      void this.commit(batch).finally(() => {
        this.running--;
        this.drain();
      });
    }
  }

  private async commit(batch: PendingSave[]): Promise<void> {
    try {
      const results = await this.store.saveArticles(batch.map(({ work, stageEntry }) => ({ work, ...(stageEntry ? { stageEntry } : {}) })));
      batch.forEach((p, i) => {
        const result = results[i];
        if (result) p.resolve(result);
        else p.reject(new Error(`no result for article ${p.work.id} in its batch`));
      });
    } catch (err) {
      if (batch.length === 1 || err instanceof DatabaseUnavailableError) {
        for (const p of batch) p.reject(err);
        return;
      }
      await Promise.all(batch.map((p) => this.store.saveArticle(p.work, p.stageEntry).then(p.resolve, p.reject)));
    }
  }
}
