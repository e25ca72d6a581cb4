/** Where the previous page ended: the sort it was made with, the last sort value and the last id. */
export interface PageCursor {
  sort: 'time' | 'score';
  /** For `time` the UTC timestamp to the microsecond (`YYYY-MM-DDTHH:MM:SS.ffffffZ`); for `score` a number. */
  value: string | number;
  id: string;
}

/** Thrown for a cursor that was not made by `encodeCursor` (the API answers 400 naming `cursor`). */
export class InvalidCursorError extends Error {
  constructor(message = 'cursor is not one this API returned') {
    super(message);
    this.name = 'InvalidCursorError';
  }
}

const TIME_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/**
 * Whether `text` (`YYYY-MM-DDTHH:MM:SS[.fraction]Z`) names a moment that exists, within the years both
 * JavaScript and PostgreSQL hold: the format alone lets `2026-02-30` or hour 25 through to the database,
 * which then fails the query.
 */
export function isRealUtcTimestamp(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?Z$/.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const at = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return (
    year >= 1 &&
    at.getUTCFullYear() === year &&
    at.getUTCMonth() === month - 1 &&
    at.getUTCDate() === day &&
    at.getUTCHours() === hour &&
    at.getUTCMinutes() === minute &&
    at.getUTCSeconds() === second
  );
}

/** Text PostgreSQL can store: it refuses NUL characters in text, which would fail the whole query. */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000');
}

/** Opaque to clients: base64url of a small JSON array. */
export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.value, cursor.id])).toString('base64url');
}

export function decodeCursor(text: string): PageCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw new InvalidCursorError();
  const [sort, value, id] = parsed as unknown[];
  if (typeof id !== 'string' || !isStorableText(id)) throw new InvalidCursorError();
  if (sort === 'time' && typeof value === 'string' && TIME_KEY.test(value) && isRealUtcTimestamp(value)) return { sort, value, id };
  if (sort === 'score' && typeof value === 'number' && Number.isFinite(value)) return { sort, value, id };
  throw new InvalidCursorError();
}
