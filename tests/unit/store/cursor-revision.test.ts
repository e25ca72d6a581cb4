import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, InvalidCursorError } from '../../../src/store/cursor.js';
import { labelRevision } from '../../../src/store/label-revision.js';

describe('page cursors', () => {
  it('round-trip time and score positions', () => {
    const time = { sort: 'time' as const, value: '2026-11-24T12:00:00.123456Z', id: 'a-1' };
    const score = { sort: 'score' as const, value: 0.3 + 0.6, id: 'b' };
    expect(decodeCursor(encodeCursor(time))).toEqual(time);
    expect(decodeCursor(encodeCursor(score))).toEqual(score);
  });

  it.each([
    ['not base64 json', 'garbage!!'],
    ['wrong shape', Buffer.from('{"a":1}').toString('base64url')],
    ['time value not a timestamp', Buffer.from('["time","yesterday","x"]').toString('base64url')],
    ['score value not a number', Buffer.from('["score","0.5","x"]').toString('base64url')],
    ['unknown sort', Buffer.from('["random",1,"x"]').toString('base64url')],
    ['id not a string', Buffer.from('["score",1,2]').toString('base64url')],
  ])('rejects a cursor that is %s', (_why, text) => {
    expect(() => decodeCursor(text)).toThrow(InvalidCursorError);
  });
});

describe('label revision', () => {
  it('depends on labels, scores and direction but not on order or float noise', () => {
    const a = { id: 'targeted-sanctions', score: 0.7, direction: 'imposed' as const };
    const b = { id: 'energy-security', score: 0.4 };
    expect(labelRevision([a, b])).toBe(labelRevision([b, a]));
    expect(labelRevision([{ ...a, score: 0.1 + 0.6 }, b])).toBe(labelRevision([a, b]));
    expect(labelRevision([a, b])).not.toBe(labelRevision([a]));
    expect(labelRevision([a, b])).not.toBe(labelRevision([{ ...a, score: 0.71 }, b]));
    expect(labelRevision([a])).not.toBe(labelRevision([{ ...a, direction: 'eased' }]));
    expect(labelRevision([])).toMatch(/^[0-9a-f]{16}$/);
  });
});
