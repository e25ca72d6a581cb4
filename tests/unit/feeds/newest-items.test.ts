import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../../../src/domain/types.js';
import { newestItems } from '../../../src/feeds/newest-items.js';

const item = (title: string, publishedAt: string | null): FeedItem => ({ guid: null, link: null, title, publishedAt, summary: '', contentHtml: null, author: null, categories: [], enclosures: [] });

describe('newestItems', () => {
  it('keeps a feed within the cap as it is', () => {
    const items = [item('a', null), item('b', '2026-01-01T00:00:00Z')];
    expect(newestItems(items, 2)).toEqual({ items, leftOut: 0 });
  });

  it('takes the newest by date, undated entries first in feed order, and counts the rest', () => {
    const items = [item('old', '2026-01-01T00:00:00Z'), item('undated-1', null), item('new', '2026-03-01T00:00:00Z'), item('undated-2', 'not a date'), item('mid', '2026-02-01T00:00:00Z')];
    const { items: taken, leftOut } = newestItems(items, 3);
    expect(taken.map((i) => i.title)).toEqual(['undated-1', 'undated-2', 'new']);
    expect(leftOut).toBe(2);
  });
});
