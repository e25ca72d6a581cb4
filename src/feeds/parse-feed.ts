import type { ParsedFeed } from '../domain/types.js';
import { decodeFeedBody } from './charset.js';
import { discoverFeedLinks } from './discover.js';
import { FeedParseError } from './feed-parse-error.js';
import { parseAtom } from './parse-atom.js';
import { parseJsonFeed } from './parse-json-feed.js';
import { parseRdf, parseRss } from './parse-rss.js';
import { assertFeedFormat, sniffFormat } from './sniff.js';
import { parseXmlDocument } from './xml-doc.js';

export interface ParseContext {
  /** The URL the body came from: after redirects when known (relative links resolve against it). */
  url: string;
  contentType?: string | null;
}

/**
 * Reads a feed body of any supported format: the format is sniffed from the bytes (never the
 * Content-Type), the charset chosen from BOM, HTTP header and XML prolog, then the document parsed
 * without expanding DTD entities. Throws a {@link FeedParseError} whose message says what is wrong.
 */
export function parseFeed(body: Buffer, ctx: ParseContext): ParsedFeed {
  const format = sniffFormat(body);
  if (format === 'html') {
    const links = discoverFeedLinks(decodeFeedBody(body, ctx.contentType).text, ctx.url);
    if (links.length > 0) {
      throw new FeedParseError('html-page', `the server sent an HTML page, not a feed; the page links to ${links.length === 1 ? 'a feed' : 'feeds'} at ${links.slice(0, 3).join(', ')}`);
    }
  }
  assertFeedFormat(format, body);
  if (format === 'jsonfeed') {
    // JSON Feed is UTF-8 by specification; a declared charset is ignored.
    return parseJsonFeed(new TextDecoder('utf-8').decode(body), ctx.url);
  }
  const { text } = decodeFeedBody(body, ctx.contentType);
  const doc = parseXmlDocument(text);
  if (format === 'rss') return parseRss(doc, ctx.url);
  if (format === 'rdf') return parseRdf(doc, ctx.url);
  if (format === 'atom') return parseAtom(doc, ctx.url);
  throw new FeedParseError('unsupported', `unsupported feed format ${String(format)}`);
}

export { FeedParseError } from './feed-parse-error.js';
