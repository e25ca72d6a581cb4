import { createHash } from 'node:crypto';

/** A short content hash for job ids: the same content is the same job, changed content a new one. */
export function shortHash(value: unknown): string {
  return createHash('sha256').update(typeof value === 'string' ? value : JSON.stringify(value)).digest('hex').slice(0, 12);
}
