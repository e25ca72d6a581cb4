import type { FeedHealthState } from '../domain/types.js';

/**
 * A feed health change as the alert stage sees it: the poller's `FeedHealthEvent` (src/domain/feed-state.ts)
 * named with the feed's current display name and in the fields of the `feed.health` webhook (state,
 * previousState, reason). A `feed.health` rule is checked against it and the payload is built from it.
 */
export interface FeedHealthAlertEvent {
  type: 'feed.health';
  id: string;
  feedId: string;
  feedName: string;
  state: FeedHealthState;
  previousState: FeedHealthState | null;
  reason: string | null;
  /** ISO 8601. */
  at: string;
  /** The poller's name for the transition (`failing`, `quiet`, `recovered`), when it gives one. */
  kind?: string;
}

/** Where the alert stage looks up a feed health event named by an alert job (the job carries the id, not the event). */
export interface FeedHealthAlertEvents {
  getEvent(eventId: string): Promise<FeedHealthAlertEvent | null>;
}
