import iconv from 'iconv-lite';

/**
 * The byte-level charset facts both decoders (feeds, article pages) start from. Each decoder keeps its
 * own precedence rules (an XML prolog for feeds, a `<meta>` for pages); the labels are read here once.
 */

/** The charset a byte-order mark announces, and the mark's length. */
export function bomCharset(body: Buffer): { charset: string; length: number } | null {
  if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return { charset: 'utf-8', length: 3 };
  if (body.length >= 2 && body[0] === 0xff && body[1] === 0xfe) return { charset: 'utf-16le', length: 2 };
  if (body.length >= 2 && body[0] === 0xfe && body[1] === 0xff) return { charset: 'utf-16be', length: 2 };
  return null;
}

/** The `charset` parameter of a Content-Type value as written (quotes removed); null when absent. */
export function contentTypeCharset(contentType: string | null | undefined): string | null {
  const m = contentType ? /;\s*charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType) : null;
  return m?.[1] ?? null;
}

export function isValidUtf8(body: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(body);
    return true;
  } catch {
    return false;
  }
}

/** WHATWG Encoding treats these labels as supersets; decoding with the superset is what browsers do. */
export function normaliseCharset(label: string): string {
  const c = label.toLowerCase();
  if (c === 'iso-8859-1' || c === 'latin1' || c === 'us-ascii' || c === 'ascii') return 'windows-1252';
  if (c === 'gb2312' || c === 'x-gbk' || c === 'gb_2312-80') return 'gbk';
  if (c === 'utf8') return 'utf-8';
  return c;
}

/** The normalised charset when iconv-lite can decode it, else null. */
export function usableCharset(label: string | null): string | null {
  if (!label) return null;
  const charset = normaliseCharset(label);
  return iconv.encodingExists(charset) ? charset : null;
}
