import iconv from 'iconv-lite';
import { bomCharset, contentTypeCharset, isValidUtf8, normaliseCharset, usableCharset } from '../fetch/charset.js';

/** How the charset of a body was chosen, for `feeds check` and tests. */
export type FeedCharsetSource = 'bom' | 'http' | 'prolog' | 'default' | 'sniffed-utf8' | 'fallback';

export interface DecodedBody {
  text: string;
  charset: string;
  source: FeedCharsetSource;
}

/** Charsets servers send by default without knowing the file (Apache's old AddDefaultCharset, Tomcat). */
const SERVER_DEFAULTS = new Set(['iso-8859-1', 'latin1', 'us-ascii', 'ascii', 'windows-1252']);

/** The `charset` parameter of a Content-Type header, lower-cased; null when absent. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  return contentTypeCharset(contentType)?.toLowerCase() ?? null;
}

/** The `encoding` of an XML declaration at the start of the body; null when absent. */
export function prologEncoding(body: Buffer): string | null {
  // The declaration is ASCII in every ASCII-compatible charset, so a latin1 view of the head reads it.
  const head = body.subarray(0, 1024).toString('latin1').replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '');
  const m = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return m?.[1] ? m[1].toLowerCase() : null;
}

function hasNonAscii(body: Buffer): boolean {
  for (const byte of body) if (byte > 0x7f) return true;
  return false;
}

/**
 * Decodes a feed body to text, choosing the charset the way browsers and Miniflux do:
 * 1. a byte-order mark wins;
 * 2. then the HTTP `charset`, except that a server-default latin charset (ISO-8859-1, ASCII, windows-1252)
 *    yields to UTF-8 when the prolog says UTF-8 (or says nothing) and the bytes are valid, non-ASCII
 *    UTF-8 — the common misconfiguration of a UTF-8 feed on a server with a latin default;
 * 3. then the XML prolog's `encoding` (rss-parser ignores it: that is why GB2312 or KOI8-R feeds came out garbled);
 * 4. then UTF-8, falling back to windows-1252 when the bytes are not valid UTF-8.
 * A declared UTF-8 that is not valid UTF-8 also yields to a different prolog charset when there is one.
 */
export function decodeFeedBody(body: Buffer, contentType?: string | null): DecodedBody {
  const bom = bomCharset(body);
  if (bom) return { text: iconv.decode(body.subarray(bom.length), bom.charset), charset: bom.charset, source: 'bom' };

  const http = charsetFromContentType(contentType);
  const prolog = prologEncoding(body);
  let chosen: { charset: string; source: FeedCharsetSource } | null = null;

  const httpCharset = usableCharset(http);
  const prologCharset = usableCharset(prolog);
  if (http && httpCharset) {
    const latinDefault = SERVER_DEFAULTS.has(http);
    const prologSaysUtf8 = prolog === null || normaliseCharset(prolog) === 'utf-8';
    if (latinDefault && prologSaysUtf8 && hasNonAscii(body) && isValidUtf8(body)) chosen = { charset: 'utf-8', source: 'sniffed-utf8' };
    else chosen = { charset: httpCharset, source: 'http' };
  } else if (prologCharset) {
    chosen = { charset: prologCharset, source: 'prolog' };
  }

  if (chosen?.charset === 'utf-8' && chosen.source === 'http' && prologCharset && prologCharset !== 'utf-8' && !isValidUtf8(body)) {
    chosen = { charset: prologCharset, source: 'prolog' };
  }
  if (!chosen) {
    chosen = isValidUtf8(body) ? { charset: 'utf-8', source: 'default' } : { charset: 'windows-1252', source: 'fallback' };
  }
  return { text: iconv.decode(body, chosen.charset), charset: chosen.charset, source: chosen.source };
}
