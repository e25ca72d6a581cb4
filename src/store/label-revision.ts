import { createHash } from 'node:crypto';
import type { AppliedLabel } from '../domain/types.js';

/**
 * A short hash of what alerting cares about in a classification: which labels, their scores (to 4
 * decimals, so float noise does not count as a change) and a sanctions direction. Same labels, same
 * revision: the lead derives deterministic alert job ids from it.
 */
export function labelRevision(labels: readonly Pick<AppliedLabel, 'id' | 'score' | 'direction'>[]): string {
  const canonical = labels
    .map((l) => `${l.id}=${l.score.toFixed(4)}${l.direction ? `/${l.direction}` : ''}`)
    .sort()
    .join(';');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
