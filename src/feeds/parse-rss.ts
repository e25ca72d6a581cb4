import type { FeedItem, ParsedFeed } from '../domain/types.js';
import { FeedParseError } from './feed-parse-error.js';
import { buildItem, dedupeItems, toInt } from './item-builder.js';
import { childBase, resolveRelativeMarkup, resolveUrl } from './resolve-url.js';
import { attr, children, elementNames, first, text, textOf, type XmlNode } from './xml-doc.js';

const PERIOD_MS: Record<string, number> = {
  hourly: 3_600_000,
  daily: 86_400_000,
  weekly: 7 * 86_400_000,
  monthly: 30 * 86_400_000,
  yearly: 365 * 86_400_000,
};

/** `sy:updatePeriod` / `sy:updateFrequency` (RSS 1.0 syndication module) as milliseconds between updates. */
export function syndicationPeriodMs(node: XmlNode | null): number | undefined {
  const period = textOf(node, 'sy:updatePeriod')?.toLowerCase();
  if (!period || !PERIOD_MS[period]) return undefined;
  const frequency = toInt(textOf(node, 'sy:updateFrequency')) ?? 1;
  return Math.round((PERIOD_MS[period] ?? 0) / Math.max(1, frequency));
}

/** Media RSS and `<enclosure>` attachments, resolved against the item's base. */
function enclosuresOf(item: XmlNode, base: string | null): FeedItem['enclosures'] {
  const out: FeedItem['enclosures'] = [];
  const seen = new Set<string>();
  const add = (node: XmlNode, typeAttr: string, lengthAttr: string) => {
    const url = resolveUrl(attr(node, 'url'), base);
    if (!url || seen.has(url)) return;
    seen.add(url);
    out.push({ url, type: attr(node, typeAttr) ?? attr(node, 'medium'), length: toInt(attr(node, lengthAttr)) });
  };
  for (const e of children(item, 'enclosure')) add(e, 'type', 'length');
  for (const m of children(item, 'media:content')) add(m, 'type', 'fileSize');
  for (const g of children(item, 'media:group')) for (const m of children(g, 'media:content')) add(m, 'type', 'fileSize');
  return out;
}

function alternateAtomLink(node: XmlNode, base: string | null): string | null {
  for (const l of children(node, 'atom:link')) {
    const rel = attr(l, 'rel') ?? 'alternate';
    if (rel === 'alternate') return resolveUrl(attr(l, 'href'), base);
  }
  return null;
}

function rssItem(item: XmlNode, parentBase: string | null): FeedItem {
  const base = childBase(attr(item, 'xml:base'), parentBase);
  const guidNode = first(item, 'guid');
  const guid = guidNode ? text(guidNode) : attr(item, 'rdf:about');
  const guidIsLink = guidNode ? (attr(guidNode, 'isPermaLink') ?? 'true').toLowerCase() !== 'false' : false;
  const link =
    resolveUrl(textOf(item, 'link'), base) ??
    alternateAtomLink(item, base) ??
    (guidIsLink ? resolveUrl(guid, base) : null) ??
    resolveUrl(attr(item, 'rdf:about'), base) ??
    resolveUrl(textOf(item, 'feedburner:origLink'), base);
  const description = resolveRelativeMarkup(textOf(item, 'description', 'dc:description', 'itunes:summary', 'media:description'), base);
  return buildItem({
    guid: guid || null,
    link,
    title: textOf(item, 'title', 'dc:title', 'media:title'),
    dates: [textOf(item, 'pubDate'), textOf(item, 'dc:date'), textOf(item, 'atom:published', 'a10:published'), textOf(item, 'atom:updated', 'a10:updated', 'dcterms:issued', 'dcterms:modified')],
    description,
    contentHtml: resolveRelativeMarkup(textOf(item, 'content:encoded', 'xhtml:body'), base),
    author: textOf(item, 'dc:creator', 'author', 'itunes:author'),
    categories: [...children(item, 'category').map(text), ...children(item, 'dc:subject').map(text)],
    enclosures: enclosuresOf(item, base),
  });
}

/** RSS 0.91/0.92/2.0 (and `<rss>` without a version): items live inside `<channel>`. */
export function parseRss(doc: XmlNode, feedUrl: string): ParsedFeed {
  const root = first(doc, 'rss');
  const channel = first(root, 'channel');
  if (!root || !channel) throw new FeedParseError('not-a-feed', 'RSS document without a <channel>');
  const base = childBase(attr(channel, 'xml:base'), childBase(attr(root, 'xml:base'), feedUrl));
  // A few generators put <item> beside <channel> instead of inside it; read both.
  const items = [...children(channel, 'item'), ...children(root, 'item')].map((i) => rssItem(i, base));
  const ttlMinutes = toInt(textOf(channel, 'ttl'));
  return {
    format: 'rss',
    title: textOf(channel, 'title'),
    link: resolveUrl(textOf(channel, 'link'), base) ?? alternateAtomLink(channel, base),
    items: dedupeItems(items),
    ...(ttlMinutes !== null && ttlMinutes > 0 ? { ttlMs: ttlMinutes * 60_000 } : {}),
    ...optionalPeriod(syndicationPeriodMs(channel)),
  };
}

function optionalPeriod(ms: number | undefined): { updatePeriodMs?: number } {
  return ms ? { updatePeriodMs: ms } : {};
}

/** RSS 1.0 (RDF): `<channel>` and `<item>` are siblings under `<rdf:RDF>`, whatever its prefix. */
export function parseRdf(doc: XmlNode, feedUrl: string): ParsedFeed {
  const rootName = elementNames(doc).find((n) => n === 'RDF' || n.endsWith(':RDF'));
  const root = rootName ? first(doc, rootName) : null;
  if (!root) throw new FeedParseError('not-a-feed', 'RDF document without a root');
  const base = childBase(attr(root, 'xml:base'), feedUrl);
  const channel = first(root, 'channel', 'rss:channel');
  const items = [...children(root, 'item'), ...children(root, 'rss:item'), ...children(channel, 'item')].map((i) => rssItem(i, base));
  return {
    format: 'rdf',
    title: textOf(channel, 'title', 'dc:title'),
    link: resolveUrl(textOf(channel, 'link'), base),
    items: dedupeItems(items),
    ...optionalPeriod(syndicationPeriodMs(channel) ?? syndicationPeriodMs(root)),
  };
}
