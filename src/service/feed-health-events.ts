import type { FeedHealthEvents } from '../alerts/feed-health-event.js';
import type { FeedStateStore } from '../store/feed-state-store.js';

/**
 * The alert stage reads feed health events through its own small interface; the poller stores them with
 * the feed state. This maps one onto the other and adds the feed's display name.
 */
export function feedHealthEventsFrom(state: Pick<FeedStateStore, 'getHealthEvent'>, feedName: (feedId: string) => string): FeedHealthEvents {
  return {
    getEvent: async (eventId) => {
      const event = await state.getHealthEvent(eventId);
      if (!event) return null;
      return {
        type: 'feed.health',
        id: event.id,
        feedId: event.feedId,
        feedName: feedName(event.feedId),
        state: event.to,
        previousState: event.from,
        reason: event.message,
        at: event.at,
      };
    },
  };
}
