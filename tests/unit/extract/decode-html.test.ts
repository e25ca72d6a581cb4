import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { charsetFromContentType, decodeHtml } from '../../../src/extract/decode-html.js';
import { fixtureBytes } from './fixture-pages.js';

const page = (head: string, body: string): string => `<!doctype html><html><head>${head}</head><body><p>${body}</p></body></html>`;

describe('decodeHtml', () => {
  it('prefers a byte-order mark over everything else', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(page('<meta charset="windows-1251">', 'Grüße'), 'utf8')]);
    const out = decodeHtml(bytes, 'text/html; charset=iso-8859-1');
    expect(out.source).toBe('bom');
    expect(out.html).toContain('Grüße');
  });

  it('decodes UTF-16LE with its BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(page('', 'Ünïcödé'), 'utf-16le')]);
    expect(decodeHtml(bytes, undefined).html).toContain('Ünïcödé');
  });

  it('uses the Content-Type charset next', () => {
    const bytes = iconv.encode(page('<meta charset="utf-8">', 'Привет'), 'koi8-r');
    const out = decodeHtml(bytes, 'text/html; charset="KOI8-R"');
    expect(out).toMatchObject({ source: 'header', charset: 'koi8-r' });
    expect(out.html).toContain('Привет');
  });

  it('finds a <meta http-equiv> charset placed after the first 1024 bytes', () => {
    const bytes = fixtureBytes('vse-diety-russian.cp1251.html');
    expect(bytes.indexOf('charset=windows-1251')).toBeGreaterThan(1024);
    const out = decodeHtml(bytes, 'text/html');
    expect(out).toMatchObject({ source: 'meta', charset: 'windows-1251' });
    expect(out.html).toContain('Аткинс');
  });

  it('reads latin1 labels as windows-1252, as browsers do', () => {
    const bytes = iconv.encode(page('', '“quoted” – dash'), 'windows-1252');
    expect(decodeHtml(bytes, 'text/html; charset=ISO-8859-1').html).toContain('“quoted” – dash');
  });

  it('falls back to UTF-8 for valid UTF-8 and windows-1252 otherwise', () => {
    expect(decodeHtml(Buffer.from(page('', 'naïve café'), 'utf8'), undefined)).toMatchObject({ source: 'default', charset: 'utf-8' });
    const legacy = decodeHtml(iconv.encode(page('', 'naïve café'), 'windows-1252'), undefined);
    expect(legacy.charset).toBe('windows-1252');
    expect(legacy.html).toContain('naïve café');
  });

  it('ignores an unknown charset label', () => {
    const out = decodeHtml(Buffer.from(page('<meta charset="x-no-such-charset">', 'plain'), 'utf8'), 'text/html; charset=bogus');
    expect(out.source).toBe('default');
  });

  it('reads the charset parameter of a Content-Type', () => {
    expect(charsetFromContentType('text/html; charset=Shift_JIS')).toBe('Shift_JIS');
    expect(charsetFromContentType("text/html; charset='utf-8'")).toBe('utf-8');
    expect(charsetFromContentType('text/html')).toBeNull();
  });
});
