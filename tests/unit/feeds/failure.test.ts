import { describe, expect, it } from 'vitest';
import { FetchError } from '../../../src/fetch/fetch-error.js';
import { errorForException, errorForResponse, isBotWall } from '../../../src/feeds/failure.js';
import { FeedParseError } from '../../../src/feeds/feed-parse-error.js';

const empty = Buffer.alloc(0);

describe('feed failure classes', () => {
  it.each([
    [404, 'permanent'],
    [410, 'permanent'],
    [401, 'permanent'],
    [429, 'rate-limited'],
    [500, 'transient'],
    [502, 'transient'],
    [503, 'transient'],
    [408, 'transient'],
  ] as const)('HTTP %i → %s', (status, cls) => {
    expect(errorForResponse(status, {}, empty)).toMatchObject({ class: cls, status });
  });

  it('recognises challenge pages behind 403/503 and cf-mitigated', () => {
    const cf = Buffer.from('<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1"></script></body></html>');
    expect(isBotWall(503, {}, cf)).toBe(true);
    expect(errorForResponse(403, {}, cf)).toMatchObject({ class: 'bot-wall', status: 403 });
    expect(errorForResponse(403, { 'cf-mitigated': 'challenge' }, empty).class).toBe('bot-wall');
    expect(errorForResponse(403, {}, Buffer.from('<h1>Forbidden</h1>')).class).toBe('permanent');
    expect(isBotWall(404, {}, cf)).toBe(false);
  });

  it('maps fetch and parse errors', () => {
    expect(errorForException(new FetchError('timeout', 'http://x/', 'timed out')).class).toBe('timeout');
    expect(errorForException(new FetchError('too-large', 'http://x/', 'too big')).class).toBe('too-large');
    expect(errorForException(new FetchError('blocked-address', 'http://x/', 'refused 10.0.0.1')).class).toBe('blocked');
    expect(errorForException(new FetchError('dns', 'http://x/', 'nx')).class).toBe('transient');
    expect(errorForException(new FeedParseError('invalid-xml', 'invalid XML at line 3'))).toEqual({ class: 'parse', message: 'invalid XML at line 3' });
  });
});
