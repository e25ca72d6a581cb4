import { createHash } from 'node:crypto';
import type { FeedHealthEvent, FeedHealthEventKind } from '../domain/feed-state.js';
import type { FeedError, FeedHealthState } from '../domain/types.js';

/** The thresholds of the health rules; defaults documented on {@link DEFAULT_HEALTH_RULES}. */
export interface HealthRules {
  /** A run of failures this long makes the feed `failing` (before that it is `degraded`). */
  failingAfterMs: number;
  /** No new item for `quietFactor` × the feed's rhythm … */
  quietFactor: number;
  /** … and at least this long, makes a healthy feed `quiet`. */
  quietMinMs: number;
}

/**
 * The rules:
 * - `new`: never fetched successfully and never failed.
 * - `ok`: the last poll succeeded (a 304 counts) and the feed is not quiet.
 * - `degraded`: the last poll(s) failed, for less than `failingAfterMs` (1 day).
 * - `failing`: failures for `failingAfterMs` or longer; still polled at the back-off cap.
 * - `quiet`: polls succeed but nothing new for max(`quietFactor` (4) × rhythm, `quietMinMs` (2 days));
 *   needs a known rhythm, i.e. at least two polls that found new items.
 * Events: entering `failing` → kind `failing`; entering `quiet` → kind `quiet`; leaving `failing` or `quiet`
 * for `ok` → kind `recovered`. `degraded` raises nothing (a blip is not news).
 */
export const DEFAULT_HEALTH_RULES: HealthRules = { failingAfterMs: 86_400_000, quietFactor: 4, quietMinMs: 2 * 86_400_000 };

export interface HealthInputs {
  lastSuccessAt: Date | null;
  consecutiveFailures: number;
  failingSince: Date | null;
  lastNewItemAt: Date | null;
  rhythmMs: number | null;
}

/** The health state the rules give for these facts at `now`. */
export function healthStateOf(facts: HealthInputs, now: Date, rules: HealthRules = DEFAULT_HEALTH_RULES): FeedHealthState {
  if (facts.consecutiveFailures > 0) {
    const since = facts.failingSince?.getTime() ?? now.getTime();
    return now.getTime() - since >= rules.failingAfterMs ? 'failing' : 'degraded';
  }
  if (!facts.lastSuccessAt) return 'new';
  if (facts.rhythmMs !== null && facts.lastNewItemAt) {
    const silence = now.getTime() - facts.lastNewItemAt.getTime();
    if (silence > Math.max(rules.quietFactor * facts.rhythmMs, rules.quietMinMs)) return 'quiet';
  }
  return 'ok';
}

/** The event a transition raises, or null. */
export function healthEventFor(feedId: string, from: FeedHealthState, to: FeedHealthState, now: Date, details: { error: FeedError | null; lastNewItemAt: Date | null }): FeedHealthEvent | null {
  if (from === to) return null;
  let kind: FeedHealthEventKind | null = null;
  let message = '';
  if (to === 'failing') {
    kind = 'failing';
    message = `feed has been failing for a day or more${details.error ? `: ${details.error.message}` : ''}`;
  } else if (to === 'quiet') {
    kind = 'quiet';
    message = `no new items since ${details.lastNewItemAt?.toISOString() ?? 'never'}, much longer than the feed's usual rhythm`;
  } else if (to === 'ok' && (from === 'failing' || from === 'quiet')) {
    kind = 'recovered';
    message = from === 'failing' ? 'feed is fetched successfully again' : 'feed has new items again';
  }
  if (!kind) return null;
  const at = now.toISOString();
  const id = createHash('sha256').update(`${feedId}\n${kind}\n${at}`).digest('hex').slice(0, 24);
  return { id, type: 'feed.health', feedId, kind, from, to, at, message, error: to === 'failing' ? details.error : null };
}
