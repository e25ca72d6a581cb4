import type { FeedHealth, FeedState } from '../domain/feed-state.js';

/** The state of a feed never polled. */
export function initialFeedState(feedId: string, url: string): FeedState {
  return {
    feedId,
    url,
    etag: null,
    lastModified: null,
    polls: 0,
    pollsSinceUnconditional: 0,
    lastPolledAt: null,
    lastSuccessAt: null,
    lastHttpStatus: null,
    lastNewItemAt: null,
    rhythmMs: null,
    itemsSeen: 0,
    consecutiveFailures: 0,
    failingSince: null,
    lastError: null,
    lastErrorAt: null,
    healthState: 'new',
    nextPollAt: null,
    intervalMs: null,
    publisherHintMs: null,
    itemsOverCap: 0,
  };
}

/** The API's view of a stored state. */
export function healthOf(state: FeedState): FeedHealth {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    feedId: state.feedId,
    state: state.healthState,
    lastPolledAt: iso(state.lastPolledAt),
    lastSuccessAt: iso(state.lastSuccessAt),
    lastError: state.lastError && state.lastErrorAt ? { ...state.lastError, at: state.lastErrorAt.toISOString() } : null,
    lastHttpStatus: state.lastHttpStatus,
    consecutiveFailures: state.consecutiveFailures,
    failingSince: iso(state.failingSince),
    lastNewItemAt: iso(state.lastNewItemAt),
    itemsSeen: state.itemsSeen,
    rhythmMs: state.rhythmMs,
    nextPollAt: iso(state.nextPollAt),
    itemsOverCap: state.itemsOverCap,
  };
}
