import { scrubCredentialsInText } from '../obs/logger.js';
import type { FeedHealth, FeedHealthEvent } from '../domain/feed-state.js';

/**
 * A feed's health as shown to people (API, CLI): an error message that quotes the feed's URL has its
 * credentials redacted, as the logs do.
 */
export function redactedHealth(health: FeedHealth): FeedHealth {
  if (!health.lastError) return health;
  return { ...health, lastError: { ...health.lastError, message: scrubCredentialsInText(health.lastError.message) } };
}

/** A health event as shown to people: URL credentials in its messages redacted. */
export function redactedHealthEvent(event: FeedHealthEvent): FeedHealthEvent {
  return {
    ...event,
    message: scrubCredentialsInText(event.message),
    error: event.error ? { ...event.error, message: scrubCredentialsInText(event.error.message) } : null,
  };
}
