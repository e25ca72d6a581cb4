import type { FeedView } from './types.js';

/** The inbox filters as they appear in the desk's URL (`/?label=…&review=unreviewed`). */
export const FILTER_KEYS = ['q', 'label', 'group', 'feed', 'tag', 'lang', 'review', 'minScore', 'needsReview', 'since', 'until', 'sort', 'all'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

/** Rows per page of the inbox (and per step of j past the last row). */
export const PAGE_SIZE = 50;

/** The filters of a desk URL's query string, in a canonical order with empty values dropped. */
export function canonicalSearch(search: string): string {
  const given = new URLSearchParams(search);
  const out = new URLSearchParams();
  for (const key of FILTER_KEYS) for (const value of given.getAll(key)) if (value.trim() !== '') out.append(key, value.trim());
  const text = out.toString();
  return text ? `?${text}` : '';
}

/** The desk URL with one filter set (or cleared with null), keeping the others. */
export function withFilter(search: string, key: FilterKey, value: string | null): string {
  const params = new URLSearchParams(canonicalSearch(search));
  params.delete(key);
  if (value !== null && value !== '') params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The `/api/articles` query for a desk filter string, or null when it can match nothing (a feed tag no
 * configured feed carries). Feed tags are configuration, not stored on articles: they become the ids of
 * the feeds that carry the tag. Without `all`, only tagged articles are listed.
 */
export function apiQueryOf(search: string, feeds: FeedView[], cursor: string | null): string | null {
  const desk = new URLSearchParams(canonicalSearch(search));
  const api = new URLSearchParams();
  for (const key of ['q', 'label', 'group', 'lang', 'review', 'minScore', 'since', 'sort'] as const) {
    for (const value of desk.getAll(key)) api.append(key, value);
  }
  // The date picker's "until" is the last day shown; the API's is exclusive.
  const until = desk.get('until');
  if (until) api.set('until', /^\d{4}-\d{2}-\d{2}$/.test(until) ? nextDay(until) : until);
  if (desk.get('needsReview') === 'true') api.set('needsReview', 'true');
  let feedIds = desk.getAll('feed');
  const tag = desk.get('tag');
  if (tag) {
    const tagged = feeds.filter((f) => f.tags.includes(tag)).map((f) => f.id);
    feedIds = feedIds.length > 0 ? feedIds.filter((id) => tagged.includes(id)) : tagged;
    if (feedIds.length === 0) return null;
  }
  for (const id of feedIds) api.append('feed', id);
  if (desk.get('all') !== 'true') api.set('tagged', 'true');
  api.set('limit', String(PAGE_SIZE));
  if (cursor) api.set('cursor', cursor);
  return `/api/articles?${api.toString()}`;
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
