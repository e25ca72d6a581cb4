import iconv from 'iconv-lite';

/** Where the charset used to decode a page came from. */
export type CharsetSource = 'bom' | 'header' | 'meta' | 'default';

// Publishers put the meta charset after long inline scripts and styles; browsers only look at the
// first 1024 bytes, but reading further costs little and rescues such pages.
const META_SCAN_BYTES = 64 * 1024;

/**
 * Decodes an HTML body: a byte-order mark wins, then the Content-Type header's charset, then a
 * `<meta charset>` / `<meta http-equiv="content-type">` anywhere in the first 64 KiB, else UTF-8 when the
 * bytes are valid UTF-8 and windows-1252 (the web's legacy default) when they are not.
 */
export function decodeHtml(body: Buffer, contentType: string | undefined): { html: string; charset: string; source: CharsetSource } {
  const bom = bomCharset(body);
  if (bom) return { html: iconv.decode(body, bom), charset: bom, source: 'bom' };
  const header = usable(charsetFromContentType(contentType));
  if (header) return { html: iconv.decode(body, header), charset: header, source: 'header' };
  const meta = usable(charsetFromMeta(body.subarray(0, META_SCAN_BYTES).toString('latin1')));
  if (meta) return { html: iconv.decode(body, meta), charset: meta, source: 'meta' };
  const charset = isValidUtf8(body) ? 'utf-8' : 'windows-1252';
  return { html: iconv.decode(body, charset), charset, source: 'default' };
}

function bomCharset(b: Buffer): string | null {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  return null;
}

/** The `charset` parameter of a Content-Type value. */
export function charsetFromContentType(contentType: string | undefined): string | null {
  const m = contentType?.match(/charset\s*=\s*["']?([\w.:-]+)/i);
  return m?.[1] ?? null;
}

function charsetFromMeta(head: string): string | null {
  const direct = head.match(/<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i);
  return direct?.[1] ?? null;
}

/** A charset iconv-lite knows, normalised; the HTML standard reads latin1/ascii labels as windows-1252. */
function usable(label: string | null): string | null {
  if (!label) return null;
  const l = label.toLowerCase();
  if (l === 'iso-8859-1' || l === 'latin1' || l === 'us-ascii' || l === 'ascii') return 'windows-1252';
  if (l === 'utf8') return 'utf-8';
  return iconv.encodingExists(l) ? l : null;
}

function isValidUtf8(b: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}
