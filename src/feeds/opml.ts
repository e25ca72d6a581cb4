import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decode } from 'html-entities';
import type { FeedConfig } from '../domain/types.js';
import { FeedParseError } from './feed-parse-error.js';

/** One subscription read from an OPML file. */
export interface OpmlFeed {
  url: string;
  name: string | null;
  /** Folder names the outline sits in, plus its `category` attribute. */
  tags: string[];
}

const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === 'outline',
  transformTagName: (n) => (UNSAFE.has(n) ? `#unsafe-${n}` : n),
  transformAttributeName: (n) => (UNSAFE.has(n) ? `#unsafe-${n}` : n),
});

type Outline = Record<string, unknown> & { outline?: Outline[] };

const attrOf = (o: Outline, name: string): string | null => {
  const v = o[name];
  return typeof v === 'string' && v.trim() !== '' ? decode(v.trim(), { level: 'html5' }) : null;
};

/**
 * Reads the feeds of an OPML 1.0/2.0 subscription list (as Feedly, Inoreader, Miniflux or NetNewsWire
 * export them): every outline with an http(s) `xmlUrl`, the enclosing folders as tags. Duplicates are
 * dropped; an invalid document is a FeedParseError.
 */
export function parseOpml(text: string): OpmlFeed[] {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new FeedParseError('invalid-xml', `invalid OPML at line ${valid.err.line}: ${valid.err.msg}`);
  if (/<!ENTITY/i.test(text)) throw new FeedParseError('unsafe-xml', 'refused OPML with entity declarations');
  const doc = parser.parse(text) as { opml?: { body?: Outline } };
  const body = doc.opml?.body;
  if (!body) throw new FeedParseError('not-a-feed', 'not an OPML document (no <opml><body>)');
  const out: OpmlFeed[] = [];
  const seen = new Set<string>();
  const walk = (outlines: Outline[] | undefined, folders: string[]) => {
    for (const o of outlines ?? []) {
      const url = attrOf(o, 'xmlUrl') ?? attrOf(o, 'xmlurl');
      const label = attrOf(o, 'title') ?? attrOf(o, 'text');
      if (url && /^https?:\/\//i.test(url)) {
        if (!seen.has(url)) {
          seen.add(url);
          const categories = (attrOf(o, 'category') ?? '').split(',').map((c) => c.trim().replace(/^\//, '')).filter(Boolean);
          out.push({ url, name: label, tags: [...new Set([...folders, ...categories])] });
        }
      } else if (o.outline) {
        walk(o.outline, label ? [...folders, label] : folders);
      }
    }
  };
  walk(body.outline, []);
  return out;
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The configured feeds as an OPML 2.0 document; each feed's tags become its `category` attribute. */
export function toOpml(feeds: FeedConfig[], options: { title?: string; now?: Date } = {}): string {
  const lines = feeds.map((f) => {
    const category = f.tags.length > 0 ? ` category="${escapeAttr(f.tags.join(','))}"` : '';
    return `    <outline type="rss" text="${escapeAttr(f.name)}" title="${escapeAttr(f.name)}" xmlUrl="${escapeAttr(f.url)}"${category}/>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeAttr(options.title ?? 'framewatch feeds')}</title>`,
    `    <dateCreated>${(options.now ?? new Date()).toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body>',
    ...lines,
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}
