import type { FeedHealthState } from '../domain/types.js';
import type { FeedHealthEvent, FeedHealthEvents } from './feed-health-event.js';

/** The poller's stored event, as the feed state store returns it (structural: only what alerts read). */
export interface PollerHealthEvent {
  id: string;
  feedId: string;
  kind: string;
  from: FeedHealthState;
  to: FeedHealthState;
  at: string;
  message: string;
}

/**
 * Adapts the feed state store (`getHealthEvent(id)`) to what the alert stage reads, naming each feed from
 * the current feed list (an event of a feed removed since keeps its id as its name).
 */
export function feedHealthEventsFrom(
  store: { getHealthEvent(id: string): Promise<PollerHealthEvent | null> },
  feedName: (feedId: string) => string | undefined,
): FeedHealthEvents {
  return {
    getEvent: async (eventId) => {
      const e = await store.getHealthEvent(eventId);
      if (!e) return null;
      const event: FeedHealthEvent = {
        type: 'feed.health',
        id: e.id,
        feedId: e.feedId,
        feedName: feedName(e.feedId) ?? e.feedId,
        state: e.to,
        previousState: e.from,
        reason: e.message,
        at: e.at,
        kind: e.kind,
      };
      return event;
    },
  };
}
