import type { FeedHealthState } from '../domain/types.js';

/**
 * A change of a feed's health as the poller records it; a `feed.health` rule turns it into an alert. The
 * feeds part stores these; alerts only read them by id (the alert job carries the id, not the event).
 */
export interface FeedHealthEvent {
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

/** Where the alert stage looks up a feed health event named by an alert job. */
export interface FeedHealthEvents {
  getEvent(eventId: string): Promise<FeedHealthEvent | null>;
}
