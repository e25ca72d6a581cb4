import type { FeedItem, ParsedFeed } from '../domain/types.js';
import { FeedParseError } from './feed-parse-error.js';
import { buildItem, dedupeItems, toInt } from './item-builder.js';
import { syndicationPeriodMs } from './parse-rss.js';
import { childBase, resolveRelativeMarkup, resolveUrl } from './resolve-url.js';
import { attr, children, first, rawText, text, textOf, type XmlNode } from './xml-doc.js';

type TextKind = 'text' | 'html' | 'xhtml';

/** Atom 1.0 `type` (text/html/xhtml) or Atom 0.3 `type` (a MIME type) plus `mode` (xml/escaped/base64). */
function kindOf(node: XmlNode): TextKind | 'base64' {
  const type = (attr(node, 'type') ?? 'text').toLowerCase();
  const mode = attr(node, 'mode')?.toLowerCase();
  if (mode === 'base64') return 'base64';
  if (type === 'text/plain') return 'text';
  if (type === 'xhtml' || type === 'application/xhtml+xml') return 'xhtml';
  if (type === 'html' || type === 'text/html' || mode === 'escaped') return 'html';
  if (mode === 'xml') return 'xhtml';
  return 'text';
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The markup inside an xhtml construct, without its wrapping `<div>` and any `xhtml:` prefixes. */
function xhtmlInner(raw: string): string {
  const unprefixed = raw.replace(/<(\/?)[A-Za-z_][\w.-]*:/g, '<$1');
  const m = /^\s*<div\b[^>]*>([\s\S]*)<\/div>\s*$/i.exec(unprefixed);
  return (m ? m[1] ?? '' : unprefixed).trim();
}

/** An Atom text construct as HTML (text is escaped into paragraphs so `contentHtml` is always HTML). */
function constructHtml(node: XmlNode | null): string | null {
  if (!node) return null;
  const kind = kindOf(node);
  if (kind === 'xhtml') return xhtmlInner(rawText(node)) || null;
  const value = text(node);
  if (!value) return null;
  if (kind === 'html') return value;
  if (kind === 'base64') return Buffer.from(value, 'base64').toString('utf8');
  return value
    .split(/\n\s*\n/)
    .map((p) => `<p>${escapeHtml(p.trim())}</p>`)
    .join('');
}

/** An Atom text construct as a title: markup stays for cleanTitle to strip; plain text is escaped first. */
function constructTitle(node: XmlNode | null): string | null {
  if (!node) return null;
  const kind = kindOf(node);
  if (kind === 'xhtml') return xhtmlInner(rawText(node));
  // A plain-text title may legitimately contain "<" ("Growth <2%"): escape so stripping tags keeps it.
  return kind === 'text' ? escapeHtml(text(node)) : text(node);
}

function linkOf(node: XmlNode, base: string | null, rel: string): string | null {
  for (const l of children(node, 'link')) {
    if ((attr(l, 'rel') ?? 'alternate') === rel) {
      const href = resolveUrl(attr(l, 'href'), childBase(attr(l, 'xml:base'), base));
      if (href) return href;
    }
  }
  return null;
}

function entry(node: XmlNode, parentBase: string | null): FeedItem {
  const base = childBase(attr(node, 'xml:base'), parentBase);
  const content = first(node, 'content');
  const summary = first(node, 'summary');
  const contentBase = content ? childBase(attr(content, 'xml:base'), base) : base;
  const enclosures: FeedItem['enclosures'] = children(node, 'link')
    .filter((l) => attr(l, 'rel') === 'enclosure')
    .map((l) => ({ url: resolveUrl(attr(l, 'href'), base), type: attr(l, 'type'), length: toInt(attr(l, 'length')) }))
    .filter((e): e is FeedItem['enclosures'][number] => e.url !== null);
  for (const m of children(node, 'media:content')) {
    const url = resolveUrl(attr(m, 'url'), base);
    if (url && !enclosures.some((e) => e.url === url)) enclosures.push({ url, type: attr(m, 'type') ?? attr(m, 'medium'), length: toInt(attr(m, 'fileSize')) });
  }
  const authors = children(node, 'author').map((a) => textOf(a, 'name') ?? text(a)).filter(Boolean);
  return buildItem({
    guid: textOf(node, 'id'),
    link: linkOf(node, base, 'alternate') ?? (content && attr(content, 'src') ? resolveUrl(attr(content, 'src'), contentBase) : null),
    title: constructTitle(first(node, 'title')),
    dates: [textOf(node, 'published'), textOf(node, 'issued'), textOf(node, 'created'), textOf(node, 'updated'), textOf(node, 'modified'), textOf(node, 'dc:date')],
    description: summary ? constructHtml(summary) : null,
    contentHtml: content && !attr(content, 'src') ? resolveRelativeMarkup(constructHtml(content), contentBase) : null,
    author: authors.join(', ') || textOf(node, 'dc:creator'),
    categories: children(node, 'category').map((c) => attr(c, 'label') ?? attr(c, 'term') ?? text(c)),
    enclosures,
  });
}

/** Atom 1.0 and 0.3: entries under `<feed>`. */
export function parseAtom(doc: XmlNode, feedUrl: string): ParsedFeed {
  const feed = first(doc, 'feed') ?? first(doc, 'atom:feed');
  if (!feed) throw new FeedParseError('not-a-feed', 'Atom document without a <feed>');
  const base = childBase(attr(feed, 'xml:base'), feedUrl);
  const period = syndicationPeriodMs(feed);
  return {
    format: 'atom',
    title: textOf(feed, 'title'),
    link: linkOf(feed, base, 'alternate'),
    items: dedupeItems([...children(feed, 'entry'), ...children(feed, 'atom:entry')].map((e) => entry(e, base))),
    ...(period ? { updatePeriodMs: period } : {}),
  };
}
