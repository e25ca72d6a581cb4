import type { FeedError, FeedHealthState } from './types.js';

/**
 * A feed's polling state and health: what the poll stage remembers between polls, what it raises when the
 * health changes, and what the API shows. Plain types: the rules live in src/feeds (health.ts,
 * feed-state.ts), the SQL in src/store/feed-state-store.ts.
 */

/** Everything the poll stage remembers about one feed between polls. */
export interface FeedState {
  feedId: string;
  url: string;
  etag: string | null;
  lastModified: string | null;
  polls: number;
  pollsSinceUnconditional: number;
  lastPolledAt: Date | null;
  lastSuccessAt: Date | null;
  lastHttpStatus: number | null;
  lastNewItemAt: Date | null;
  rhythmMs: number | null;
  itemsSeen: number;
  consecutiveFailures: number;
  failingSince: Date | null;
  lastError: FeedError | null;
  lastErrorAt: Date | null;
  healthState: FeedHealthState;
  nextPollAt: Date | null;
  /** The configured interval `nextPollAt` was planned with (null before the first poll). */
  intervalMs: number | null;
  /** Largest of the feed's RSS `<ttl>` and `sy:updatePeriod` in its last full response (reused on a 304). */
  publisherHintMs: number | null;
  /** Entries its last full response listed beyond `poll.maxItemsPerPoll`, left out. */
  itemsOverCap: number;
}

/** A feed's health as the API and `feeds list` show it. */
export interface FeedHealth {
  feedId: string;
  state: FeedHealthState;
  lastPolledAt: string | null;
  lastSuccessAt: string | null;
  lastError: (FeedError & { at: string }) | null;
  lastHttpStatus: number | null;
  consecutiveFailures: number;
  /** Since when the current run of failures lasts. */
  failingSince: string | null;
  lastNewItemAt: string | null;
  /** New entries taken in over the feed's life. */
  itemsSeen: number;
  /** Smoothed time between polls that found new items. */
  rhythmMs: number | null;
  nextPollAt: string | null;
  /** Entries the last full poll left out because the feed listed more than `poll.maxItemsPerPoll` (newest taken). */
  itemsOverCap: number;
}

export type FeedHealthEventKind = 'failing' | 'quiet' | 'recovered';

/**
 * A change of a feed's health as the poller records it (rules: src/feeds/health.ts); the alert stage reads it
 * by id and may send it to a webhook as `feed.health` (see src/alerts/feed-health-event.ts for that view).
 */
export interface FeedHealthEvent {
  /** Stable per (feed, kind, moment): the same transition enqueued twice is one alert. */
  id: string;
  type: 'feed.health';
  feedId: string;
  kind: FeedHealthEventKind;
  from: FeedHealthState;
  to: FeedHealthState;
  at: string;
  message: string;
  error: FeedError | null;
}
