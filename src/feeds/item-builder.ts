import type { FeedItem } from '../domain/types.js';
import { parseFeedDate } from './dates.js';
import { cleanTitle, htmlToText, looksLikeHtml } from './xml-text.js';

/** Longest plain-text summary kept on an item; the article text comes from the extract stage. */
const MAX_SUMMARY_CHARS = 10_000;

/** The pieces a format parser found for one entry, before normalisation. */
export interface RawItem {
  guid: string | null;
  link: string | null;
  /** Title text with entities decoded once; may still carry markup. */
  title: string | null;
  dates: (string | null)[];
  /** Short description: HTML or plain text. */
  description: string | null;
  /** Full content as HTML, when the feed carries it. */
  contentHtml: string | null;
  author: string | null;
  categories: string[];
  enclosures: FeedItem['enclosures'];
}

function truncate(text: string): string {
  return text.length > MAX_SUMMARY_CHARS ? `${text.slice(0, MAX_SUMMARY_CHARS - 1)}…` : text;
}

/**
 * Normalises one entry: the title cleaned (falling back to the start of the summary, as Miniflux does),
 * HTML descriptions kept as `contentHtml` when there is no fuller content, `summary` always plain text,
 * the first readable date, or null with `dateFlagged` (the poll stage then records the time first seen).
 */
export function buildItem(raw: RawItem): FeedItem {
  const descriptionIsHtml = raw.description !== null && looksLikeHtml(raw.description);
  const contentHtml = raw.contentHtml?.trim() ? raw.contentHtml.trim() : descriptionIsHtml ? (raw.description ?? '').trim() : null;
  const summarySource = raw.description?.trim() ? raw.description : raw.contentHtml;
  const summary = truncate(summarySource ? (looksLikeHtml(summarySource) ? htmlToText(summarySource) : summarySource.replace(/\s+/g, ' ').trim()) : '');

  let title = raw.title ? cleanTitle(raw.title) : '';
  if (!title) title = summary.length > 0 ? summary.slice(0, 120).replace(/\s+\S*$/, '') || summary.slice(0, 120) : (raw.link ?? '');

  let publishedAt: string | null = null;
  for (const candidate of raw.dates) {
    if (!candidate?.trim()) continue;
    const d = parseFeedDate(candidate);
    if (d) {
      publishedAt = d.toISOString();
      break;
    }
  }
  const item: FeedItem = {
    guid: raw.guid?.trim() ? raw.guid.trim() : null,
    link: raw.link,
    title,
    publishedAt,
    summary,
    contentHtml,
    author: raw.author?.trim() ? cleanTitle(raw.author) : null,
    categories: [...new Set(raw.categories.map((c) => cleanTitle(c)).filter((c) => c.length > 0))],
    enclosures: raw.enclosures,
  };
  // Missing and unreadable dates are both flagged: the caller substitutes the time first seen.
  if (publishedAt === null) item.dateFlagged = true;
  return item;
}

/**
 * Collapses repeated entries of one feed (same guid, or same link when there is no guid) into one, at the
 * position of the first; the copy with the latest date wins, since a republished entry carries the edit.
 */
export function dedupeItems(items: FeedItem[]): FeedItem[] {
  const index = new Map<string, number>();
  const out: FeedItem[] = [];
  for (const item of items) {
    const key = item.guid ? `g:${item.guid}` : item.link ? `l:${item.link}` : `t:${item.title}`;
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, out.length);
      out.push(item);
      continue;
    }
    const kept = out[at];
    if (kept && item.publishedAt && (!kept.publishedAt || item.publishedAt > kept.publishedAt)) out[at] = item;
  }
  return out;
}

/** Parses a non-negative integer; null for anything else. */
export function toInt(value: string | null | undefined): number | null {
  if (value === null || value === undefined || !/^\s*\d+\s*$/.test(value)) return null;
  return Number(value.trim());
}
