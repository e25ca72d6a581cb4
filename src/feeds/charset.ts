import iconv from 'iconv-lite';

/** How the charset of a body was chosen, for `feeds check` and tests. */
export type CharsetSource = 'bom' | 'http' | 'prolog' | 'default' | 'sniffed-utf8' | 'fallback';

export interface DecodedBody {
  text: string;
  charset: string;
  source: CharsetSource;
}

/** Charsets servers send by default without knowing the file (Apache's old AddDefaultCharset, Tomcat). */
const SERVER_DEFAULTS = new Set(['iso-8859-1', 'latin1', 'us-ascii', 'ascii', 'windows-1252']);

/** The `charset` parameter of a Content-Type header, lower-cased; null when absent. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return m?.[1] ? m[1].toLowerCase() : null;
}

/** The `encoding` of an XML declaration at the start of the body; null when absent. */
export function prologEncoding(body: Buffer): string | null {
  // The declaration is ASCII in every ASCII-compatible charset, so a latin1 view of the head reads it.
  const head = body.subarray(0, 1024).toString('latin1').replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '');
  const m = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return m?.[1] ? m[1].toLowerCase() : null;
}

function bomCharset(body: Buffer): { charset: string; length: number } | null {
  if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return { charset: 'utf-8', length: 3 };
  if (body.length >= 2 && body[0] === 0xff && body[1] === 0xfe) return { charset: 'utf-16le', length: 2 };
  if (body.length >= 2 && body[0] === 0xfe && body[1] === 0xff) return { charset: 'utf-16be', length: 2 };
  return null;
}

function isValidUtf8(body: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(body);
    return true;
  } catch {
    return false;
  }
}

function hasNonAscii(body: Buffer): boolean {
  for (const byte of body) if (byte > 0x7f) return true;
  return false;
}

/** WHATWG Encoding treats these labels as supersets; decoding with the superset is what browsers do. */
function normalise(charset: string): string {
  const c = charset.toLowerCase();
  if (c === 'iso-8859-1' || c === 'latin1' || c === 'us-ascii' || c === 'ascii') return 'windows-1252';
  if (c === 'gb2312' || c === 'x-gbk' || c === 'gb_2312-80') return 'gbk';
  if (c === 'utf8') return 'utf-8';
  return c;
}

function usable(charset: string | null): charset is string {
  return charset !== null && iconv.encodingExists(normalise(charset));
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
  let chosen: { charset: string; source: CharsetSource } | null = null;

  if (usable(http)) {
    const latinDefault = SERVER_DEFAULTS.has(http);
    const prologSaysUtf8 = prolog === null || normalise(prolog) === 'utf-8';
    if (latinDefault && prologSaysUtf8 && hasNonAscii(body) && isValidUtf8(body)) chosen = { charset: 'utf-8', source: 'sniffed-utf8' };
    else chosen = { charset: normalise(http), source: 'http' };
  } else if (usable(prolog)) {
    chosen = { charset: normalise(prolog), source: 'prolog' };
  }

  if (chosen?.charset === 'utf-8' && chosen.source === 'http' && usable(prolog) && normalise(prolog) !== 'utf-8' && !isValidUtf8(body)) {
    chosen = { charset: normalise(prolog), source: 'prolog' };
  }
  if (!chosen) {
    chosen = isValidUtf8(body) ? { charset: 'utf-8', source: 'default' } : { charset: 'windows-1252', source: 'fallback' };
  }
  return { text: iconv.decode(body, chosen.charset), charset: chosen.charset, source: chosen.source };
}
