import { loadFeedsFile } from '../config/load-config.js';
import { ConfigError } from '../config/yaml-file.js';
import type { FeedConfig } from '../domain/types.js';
import type { Logger } from '../obs/logger.js';

/**
 * The feeds this process knows, reloaded from feeds.yaml without a restart. A bad edit keeps the feeds
 * that were running and logs every problem with file and line, so a typo never stops monitoring.
 */
export class FeedRegistry {
  private feeds: FeedConfig[];
  private byId: Map<string, FeedConfig>;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly file: string,
    initial: FeedConfig[],
    private readonly logger: Logger,
  ) {
    this.feeds = initial;
    this.byId = new Map(initial.map((f) => [f.id, f]));
  }

  all(): FeedConfig[] {
    return this.feeds;
  }

  get(id: string): FeedConfig | undefined {
    return this.byId.get(id);
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Re-reads the file; returns false (and keeps the current feeds) when it is invalid. */
  reload(): boolean {
    let next: FeedConfig[];
    try {
      next = loadFeedsFile(this.file);
    } catch (err) {
      if (err instanceof ConfigError) {
        this.logger.error({ file: this.file, problems: err.problems }, `feeds file is invalid; keeping the ${this.feeds.length} feeds already loaded`);
        return false;
      }
      throw err;
    }
    const before = new Set(this.byId.keys());
    this.feeds = next;
    this.byId = new Map(next.map((f) => [f.id, f]));
    const added = next.filter((f) => !before.has(f.id)).map((f) => f.id);
    const removed = [...before].filter((id) => !this.byId.has(id));
    this.logger.info({ feeds: next.length, added, removed }, 'feeds reloaded');
    for (const listener of this.listeners) listener();
    return true;
  }
}
