import type { FeedItem } from '../domain/types.js';

/**
 * The newest `max` entries of a feed and how many were left out. Newest by publication date; an entry
 * without a date counts as newest (a feed lists its newest first) and the feed's own order is kept among
 * equals. A feed listing more than `max` (a broken or hostile one listed 100,000) costs one bounded poll.
 */
export function newestItems(items: FeedItem[], max: number): { items: FeedItem[]; leftOut: number } {
  if (items.length <= max) return { items, leftOut: 0 };
  const time = (item: FeedItem): number => {
    const t = item.publishedAt ? Date.parse(item.publishedAt) : Number.NaN;
    return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
  };
  const ranked = items.map((item, index) => ({ item, index, time: time(item) }));
  ranked.sort((a, b) => (a.time === b.time ? a.index - b.index : b.time > a.time ? 1 : -1));
  return { items: ranked.slice(0, max).map((r) => r.item), leftOut: items.length - max };
}
