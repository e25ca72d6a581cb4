import iconv from 'iconv-lite';
import { bomCharset, contentTypeCharset, isValidUtf8, usableCharset } from '../fetch/charset.js';

/** Where the charset used to decode a page came from. */
export type PageCharsetSource = 'bom' | 'header' | 'meta' | 'default';

// Publishers put the meta charset after long inline scripts and styles; browsers only look at the
// first 1024 bytes, but reading further costs little and rescues such pages.
const META_SCAN_BYTES = 64 * 1024;

/**
 * Decodes an HTML body: a byte-order mark wins, then the Content-Type header's charset, then a
 * `<meta charset>` / `<meta http-equiv="content-type">` anywhere in the first 64 KiB, else UTF-8 when the
 * bytes are valid UTF-8 and windows-1252 (the web's legacy default) when they are not.
 */
export function decodeHtml(body: Buffer, contentType: string | undefined): { html: string; charset: string; source: PageCharsetSource } {
  const bom = bomCharset(body)?.charset;
  if (bom) return { html: iconv.decode(body, bom), charset: bom, source: 'bom' };
  const header = usableCharset(contentTypeCharset(contentType));
  if (header) return { html: iconv.decode(body, header), charset: header, source: 'header' };
  const meta = usableCharset(charsetFromMeta(body.subarray(0, META_SCAN_BYTES).toString('latin1')));
  if (meta) return { html: iconv.decode(body, meta), charset: meta, source: 'meta' };
  const charset = isValidUtf8(body) ? 'utf-8' : 'windows-1252';
  return { html: iconv.decode(body, charset), charset, source: 'default' };
}

/** The `charset` parameter of a Content-Type value. */
export function charsetFromContentType(contentType: string | undefined): string | null {
  return contentTypeCharset(contentType);
}

function charsetFromMeta(head: string): string | null {
  const direct = head.match(/<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i);
  return direct?.[1] ?? null;
}
