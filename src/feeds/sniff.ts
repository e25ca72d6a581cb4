import type { FeedFormat } from '../domain/types.js';
import { FeedParseError } from './feed-parse-error.js';

export type SniffedFormat = FeedFormat | 'xml-unknown' | 'html' | 'unknown';

/**
 * Decides what a body is from its first bytes (the Content-Type of feeds is unreliable: Atom served as
 * text/html, RSS as application/octet-stream). Only the first 4 KiB are looked at.
 */
export function sniffFormat(body: Buffer | string): SniffedFormat {
  const head = (typeof body === 'string' ? body.slice(0, 4096) : sniffHead(body)).replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('{')) return 'jsonfeed';
  if (!head.startsWith('<')) return 'unknown';
  // Skip the declaration, processing instructions, comments and the doctype (with its internal subset).
  const rest = head.replace(/^(?:\s*(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE(?:[^[>]|\[[\s\S]*?\])*>))*\s*/i, '');
  if (/^<!DOCTYPE\s+html/i.test(head.replace(/^(?:\s*(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->))*\s*/, ''))) return 'html';
  const root = /^<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)/.exec(rest)?.[1];
  if (!root) return 'unknown';
  const local = root.includes(':') ? root.slice(root.indexOf(':') + 1) : root;
  if (local.toLowerCase() === 'html') return 'html';
  if (local === 'rss') return 'rss';
  if (local === 'RDF') return 'rdf';
  if (local === 'feed') return 'atom';
  return 'xml-unknown';
}

function sniffHead(body: Buffer): string {
  const b = body.subarray(0, 4096);
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) {
    return new TextDecoder(b[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(b);
  }
  return b.toString('latin1');
}

/** Throws the clear error for a body that is not a feed at all. */
export function assertFeedFormat(format: SniffedFormat, body: Buffer): asserts format is FeedFormat {
  if (body.length === 0 || body.toString('latin1', 0, Math.min(body.length, 4096)).trim() === '') {
    throw new FeedParseError('empty', 'the response body is empty');
  }
  if (format === 'html') throw new FeedParseError('html-page', 'the server sent an HTML page, not a feed (a moved feed, a login or a bot wall?)');
  if (format === 'xml-unknown') throw new FeedParseError('not-a-feed', 'the XML document is not RSS, RDF or Atom');
  if (format === 'unknown') throw new FeedParseError('not-a-feed', 'the body is neither XML nor JSON');
}
