import type { SeenEntry, SeenItems } from '../feeds/seen-items.js';
import type { TitleIndex } from '../feeds/title-index.js';

/** Seen items for a one-shot run in one process (`scan`): nothing outlives the run. */
export class MemorySeenItems implements SeenItems {
  private readonly byFeed = new Map<string, Map<string, string>>();

  async check(feedId: string, entries: SeenEntry[]): Promise<{ fresh: string[]; changed: string[] }> {
    const seen = this.byFeed.get(feedId) ?? new Map<string, string>();
    const fresh: string[] = [];
    const changed: string[] = [];
    for (const e of entries) {
      const known = seen.get(e.key);
      if (known === undefined) fresh.push(e.key);
      else if (known !== e.fingerprint) changed.push(e.key);
    }
    return { fresh, changed };
  }

  async record(feedId: string, entries: SeenEntry[]): Promise<void> {
    const seen = this.byFeed.get(feedId) ?? new Map<string, string>();
    for (const e of entries) seen.set(e.key, e.fingerprint);
    this.byFeed.set(feedId, seen);
  }

  async forget(feedId: string): Promise<void> {
    this.byFeed.delete(feedId);
  }
}

/** Headline claims for a one-shot run: the first article to carry a headline keeps it. */
export class MemoryTitleIndex implements TitleIndex {
  private readonly claims = new Map<string, string>();

  constructor(private readonly keyOf: (title: string) => string | null) {}

  async claim(title: string, articleId: string): Promise<string | null> {
    const key = this.keyOf(title);
    if (key === null) return null;
    const holder = this.claims.get(key);
    if (holder !== undefined && holder !== articleId) return holder;
    this.claims.set(key, articleId);
    return null;
  }
}
