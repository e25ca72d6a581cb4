import type { FeedItem, ParsedFeed } from '../domain/types.js';
import { FeedParseError } from './feed-parse-error.js';
import { buildItem, dedupeItems } from './item-builder.js';
import { resolveUrl } from './resolve-url.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

function authorNames(value: unknown): string | null {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const names = list.filter(isObject).map((a) => str(a.name)).filter((n): n is string => n !== null);
  return names.length > 0 ? names.join(', ') : null;
}

function attachments(value: unknown, base: string): FeedItem['enclosures'] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).flatMap((a) => {
    const url = resolveUrl(str(a.url), base);
    if (!url) return [];
    const size = typeof a.size_in_bytes === 'number' && Number.isFinite(a.size_in_bytes) ? a.size_in_bytes : null;
    return [{ url, type: str(a.mime_type), length: size }];
  });
}

function item(raw: Json, base: string): FeedItem {
  // JSON Feed 1.0 allowed numeric ids; the spec asks to coerce them to strings.
  const id = typeof raw.id === 'number' ? String(raw.id) : str(raw.id);
  const url = resolveUrl(str(raw.url), base) ?? resolveUrl(str(raw.external_url), base);
  const contentHtml = str(raw.content_html);
  const contentText = str(raw.content_text);
  return buildItem({
    guid: id,
    link: url,
    title: str(raw.title),
    dates: [str(raw.date_published), str(raw.date_modified)],
    description: str(raw.summary) ?? contentText ?? contentHtml,
    contentHtml,
    author: authorNames(raw.authors) ?? authorNames(raw.author),
    categories: Array.isArray(raw.tags) ? raw.tags.filter((t): t is string => typeof t === 'string') : [],
    enclosures: attachments(raw.attachments, base),
  });
}

/**
 * JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), read against the spec: `version` must name
 * JSON Feed and `items` must be an array; items that are not objects are skipped. Relative URLs resolve
 * against the feed's URL. Truncated or invalid JSON is a FeedParseError, never a partial feed.
 */
export function parseJsonFeed(text: string, feedUrl: string): ParsedFeed {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new FeedParseError('invalid-json', `invalid JSON Feed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (!isObject(doc)) throw new FeedParseError('invalid-json', 'invalid JSON Feed: the top level is not an object');
  const version = str(doc.version);
  if (!version || !/^https?:\/\/jsonfeed\.org\/version\/1(\.\d+)?\/?$/.test(version)) {
    throw new FeedParseError('not-a-feed', `not a JSON Feed: version is ${version ? `"${version}"` : 'missing'}`);
  }
  if (!Array.isArray(doc.items)) throw new FeedParseError('invalid-json', 'invalid JSON Feed: "items" is not an array');
  const base = feedUrl;
  return {
    format: 'jsonfeed',
    title: str(doc.title),
    link: resolveUrl(str(doc.home_page_url), base),
    items: dedupeItems(doc.items.filter(isObject).map((i) => item(i, base))),
  };
}
