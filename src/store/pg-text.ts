/**
 * PostgreSQL refuses NUL in text and `\u0000` in jsonb, and pages do sometimes contain it. It becomes
 * U+FFFD, one UTF-16 unit like NUL, so evidence offsets into the text stay exact.
 */
export function pgText<T extends string | null | undefined>(value: T): T {
  return (typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value) as T;
}

/** JSON text for a jsonb parameter, with NUL replaced inside every string. */
export function pgJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? pgText(v) : v));
}
