import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decode } from 'html-entities';
import { FeedParseError } from './feed-parse-error.js';
import { decodeXmlText } from './xml-text.js';

/** One parsed XML element: child elements under their qualified names (always arrays), attributes under `@_name`. */
export type XmlNode = { [key: string]: unknown };

/** Names that would reach Object.prototype if used as keys; renamed before they touch an object. */
const UNSAFE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);
const safeName = (name: string): string => (UNSAFE_NAMES.has(name) ? `#unsafe-${name}` : name);

/**
 * Elements whose content is kept as raw text: they may hold escaped HTML, CDATA, or (Atom `type="xhtml"`)
 * inline XHTML whose markup we must keep rather than have parsed into objects.
 */
const RAW_TEXT_ELEMENTS = ['title', 'description', 'content:encoded', 'content', 'summary', 'subtitle', 'tagline', 'info'];

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Entities are decoded by us with a fixed table: DTD-declared ones (billion laughs) are never expanded.
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  cdataPropName: '#cdata',
  commentPropName: false,
  isArray: (_name, _jpath, _leaf, isAttribute) => !isAttribute,
  stopNodes: RAW_TEXT_ELEMENTS.map((n) => `*.${n}`),
  transformTagName: safeName,
  transformAttributeName: safeName,
});

/** A bare `&` not starting an entity is the most common XML error in real feeds; browsers and Miniflux tolerate it. */
function escapeBareAmpersands(text: string): string {
  return text.replace(/&(?!(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9._-]{0,31});)/g, '&amp;');
}

/** Parses a feed document; invalid or unsafe XML becomes a FeedParseError that says why and where. */
export function parseXmlDocument(text: string): XmlNode {
  // Blank lines before the XML declaration (a PHP include's stray newline) make strict parsers refuse the
  // whole feed; readers tolerate them, and so do we.
  const source = escapeBareAmpersands(text.replace(/^\s+/, ''));
  if (/<!ENTITY\s+%?\s*[^\s>]+\s+(SYSTEM|PUBLIC)\b/i.test(source)) {
    throw new FeedParseError('unsafe-xml', 'refused XML with an external entity declaration (XXE)');
  }
  const valid = XMLValidator.validate(source, { allowBooleanAttributes: true });
  if (valid !== true) {
    throw new FeedParseError('invalid-xml', `invalid XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  }
  try {
    return parser.parse(source) as XmlNode;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new FeedParseError(/entit|security/i.test(message) ? 'unsafe-xml' : 'invalid-xml', `could not parse XML: ${message}`, { cause: err });
  }
}

function asNode(value: unknown): XmlNode | null {
  if (typeof value === 'string') return { '#text': value };
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as XmlNode;
  return null;
}

/** Child elements named `name` (qualified, e.g. `dc:date`). */
export function children(node: XmlNode | null | undefined, name: string): XmlNode[] {
  if (!node || !Object.hasOwn(node, name)) return [];
  const value = node[name];
  const list = Array.isArray(value) ? value : [value];
  return list.map(asNode).filter((n): n is XmlNode => n !== null);
}

/** The first child element among `names`, in that order of preference. */
export function first(node: XmlNode | null | undefined, ...names: string[]): XmlNode | null {
  for (const name of names) {
    const found = children(node, name)[0];
    if (found) return found;
  }
  return null;
}

/** The raw (undecoded) text of an element, CDATA markers included for raw-text elements. */
export function rawText(node: XmlNode | null | undefined): string {
  if (!node) return '';
  const t = node['#text'];
  const c = node['#cdata'];
  const cdata = Array.isArray(c) ? c.map((x) => (typeof x === 'string' ? `<![CDATA[${x}]]>` : '')).join('') : '';
  return (typeof t === 'string' ? t : '') + cdata;
}

/** The character content of an element, entities decoded, trimmed. */
export function text(node: XmlNode | null | undefined): string {
  return decodeXmlText(rawText(node)).trim();
}

/** The first non-empty text among the named children. */
export function textOf(node: XmlNode | null | undefined, ...names: string[]): string | null {
  for (const name of names) {
    for (const child of children(node, name)) {
      const t = text(child);
      if (t) return t;
    }
  }
  return null;
}

/** An attribute's value, entities decoded; null when absent. */
export function attr(node: XmlNode | null | undefined, name: string): string | null {
  if (!node) return null;
  const key = `@_${name}`;
  if (!Object.hasOwn(node, key)) return null;
  const value = node[key];
  return typeof value === 'string' ? decode(value, { level: 'xml' }) : null;
}

/** The element names present on a node (qualified), attributes and text excluded. */
export function elementNames(node: XmlNode): string[] {
  return Object.keys(node).filter((k) => !k.startsWith('@_') && !k.startsWith('#') && k !== '?xml');
}
