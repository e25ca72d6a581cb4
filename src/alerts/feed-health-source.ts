import type { FeedHealthEvent } from '../domain/feed-state.js';
import type { FeedHealthAlertEvent, FeedHealthAlertEvents } from './feed-health-event.js';

/** What the adapter reads of the poller's stored event (any transition name passes through as `kind`). */
type StoredHealthEvent = Pick<FeedHealthEvent, 'id' | 'feedId' | 'from' | 'to' | 'at' | 'message'> & { kind: string };

/**
 * Adapts the feed state store (`getHealthEvent(id)`) to what the alert stage reads, naming each feed from
 * the current feed list (an event of a feed removed since keeps its id as its name).
 */
export function feedHealthEventsFrom(
  store: { getHealthEvent(id: string): Promise<StoredHealthEvent | null> },
  feedName: (feedId: string) => string | undefined,
): FeedHealthAlertEvents {
  return {
    getEvent: async (eventId) => {
      const e = await store.getHealthEvent(eventId);
      if (!e) return null;
      const event: FeedHealthAlertEvent = {
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
