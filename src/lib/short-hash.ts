import { createHash } from 'node:crypto';

/**
 * A short content hash (12 hex digits of SHA-256): the same content gives the same id, changed content a
 * new one. Used for deterministic job ids, Redis keys and config versions. Strings are hashed as they are,
 * anything else as its JSON.
 */
export function shortHash(value: unknown): string {
  return createHash('sha256').update(typeof value === 'string' ? value : JSON.stringify(value)).digest('hex').slice(0, 12);
}
