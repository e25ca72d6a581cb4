import { decode } from 'html-entities';

const CDATA = /<!\[CDATA\[([\s\S]*?)\]\]>/g;

/**
 * Turns the raw text of an XML element (as the parser kept it: entities undecoded, CDATA markers in place)
 * into its character content. Entities are decoded outside CDATA only, with the HTML5 table because feeds
 * routinely use `&nbsp;` and friends; DTD-declared entities are never expanded, so `&lol3;` stays literal.
 */
export function decodeXmlText(raw: string): string {
  let out = '';
  let last = 0;
  for (const m of raw.matchAll(CDATA)) {
    out += decode(raw.slice(last, m.index), { level: 'html5' }) + (m[1] ?? '');
    last = m.index + m[0].length;
  }
  return out + decode(raw.slice(last), { level: 'html5' });
}

const DROP_BLOCKS = /<(script|style|noscript|template|iframe|svg)\b[\s\S]*?<\/\1\s*>/gi;
const BLOCK_TAGS = /<\/?(p|div|br|li|ul|ol|h[1-6]|blockquote|tr|table|section|article|figure|figcaption|hr)\b[^>]*>/gi;

/** Plain text of an HTML fragment: scripts and styles dropped, tags removed, entities decoded, whitespace collapsed. */
export function htmlToText(html: string): string {
  const withoutTags = html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(DROP_BLOCKS, ' ')
    .replace(BLOCK_TAGS, ' ')
    .replace(/<[^>]*>/g, '');
  return decode(withoutTags, { level: 'html5' }).replace(/\s+/g, ' ').trim();
}

/** Whether a text looks like it carries HTML markup rather than plain text. */
export function looksLikeHtml(text: string): boolean {
  return /<\/?[a-z][a-z0-9]*(\s[^>]*)?\/?>/i.test(text) || /&(#\d+|#x[0-9a-f]+|[a-z]+);/i.test(text);
}

/** A title as one clean line: markup dropped, entities decoded (twice-encoded `&amp;amp;` is common). */
export function cleanTitle(text: string): string {
  let t = htmlToText(text);
  if (/&(#\d+|#x[0-9a-f]+|[a-z]+);/i.test(t)) t = decode(t, { level: 'html5' });
  return t.replace(/\s+/g, ' ').trim();
}
