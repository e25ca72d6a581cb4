import { describe, expect, it } from 'vitest';
import { apiQueryOf, canonicalSearch, withFilter } from '../../../web/desk/src/filters.js';
import type { FeedView } from '../../../web/desk/src/types.js';

const feed = (id: string, tags: string[]): FeedView => ({ id, url: `https://x.example/${id}`, name: id, tags, health: { state: 'ok', lastSuccessAt: null, lastError: null, consecutiveFailures: 0, lastNewItemAt: null, nextPollAt: null } });
const feeds = [feed('gov-1', ['gov']), feed('gov-2', ['gov', 'en']), feed('news', ['press'])];
const params = (url: string | null) => (url === null ? null : new URLSearchParams(url.split('?')[1]));

describe('the inbox filters in the URL', () => {
  it('keeps a canonical order and drops empty values, so a bookmark names one list', () => {
    expect(canonicalSearch('?review=unreviewed&q=&label=energy-security&junk=1')).toBe('?label=energy-security&review=unreviewed');
    expect(withFilter('?label=a&review=unreviewed', 'label', null)).toBe('?review=unreviewed');
    expect(withFilter('', 'label', 'b')).toBe('?label=b');
  });

  it('asks the API for tagged articles, 50 a page, with the filters it knows', () => {
    const q = params(apiQueryOf('?label=targeted-sanctions&review=unreviewed&minScore=0.5&needsReview=true', feeds, 'CURSOR'))!;
    expect(q.get('label')).toBe('targeted-sanctions');
    expect(q.get('review')).toBe('unreviewed');
    expect(q.get('minScore')).toBe('0.5');
    expect(q.get('needsReview')).toBe('true');
    expect(q.get('tagged')).toBe('true');
    expect(q.get('limit')).toBe('50');
    expect(q.get('cursor')).toBe('CURSOR');
    expect(params(apiQueryOf('?all=true', feeds, null))!.get('tagged')).toBeNull();
  });

  it('turns a feed tag into the feeds that carry it, and into nothing when none does', () => {
    expect(params(apiQueryOf('?tag=gov', feeds, null))!.getAll('feed')).toEqual(['gov-1', 'gov-2']);
    expect(params(apiQueryOf('?tag=gov&feed=gov-2', feeds, null))!.getAll('feed')).toEqual(['gov-2']);
    expect(apiQueryOf('?tag=gov&feed=news', feeds, null)).toBeNull();
    expect(apiQueryOf('?tag=nothing', feeds, null)).toBeNull();
  });

  it("makes the date picker's last day inclusive (the API's until is exclusive)", () => {
    expect(params(apiQueryOf('?since=2026-12-01&until=2026-12-31', feeds, null))!.get('until')).toBe('2027-01-01');
  });
});
