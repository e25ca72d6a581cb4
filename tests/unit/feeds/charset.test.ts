import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { charsetFromContentType, decodeFeedBody, prologEncoding } from '../../../src/feeds/charset.js';

const xml = (encoding: string | null, body: string) => `<?xml version="1.0"${encoding ? ` encoding="${encoding}"` : ''}?><rss><channel><title>${body}</title></channel></rss>`;

describe('decodeFeedBody', () => {
  it('reads the charset parameter and the prolog encoding', () => {
    expect(charsetFromContentType('application/rss+xml; charset="UTF-8"')).toBe('utf-8');
    expect(charsetFromContentType('text/xml')).toBeNull();
    expect(prologEncoding(Buffer.from(xml('KOI8-R', 'x')))).toBe('koi8-r');
    expect(prologEncoding(Buffer.from('<rss/>'))).toBeNull();
  });

  it('lets a byte-order mark win over header and prolog', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml('ISO-8859-1', 'Zürich'))]);
    const out = decodeFeedBody(body, 'text/xml; charset=windows-1251');
    expect(out).toMatchObject({ charset: 'utf-8', source: 'bom' });
    expect(out.text).toContain('Zürich');
  });

  it('decodes UTF-16 with a BOM', () => {
    const body = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(xml('UTF-16', 'Київ'), 'utf-16le')]);
    expect(decodeFeedBody(body, null).text).toContain('Київ');
  });

  it('uses the HTTP charset over the prolog', () => {
    const body = iconv.encode(xml('ISO-8859-1', 'Москва'), 'windows-1251');
    const out = decodeFeedBody(body, 'text/xml; charset=windows-1251');
    expect(out).toMatchObject({ charset: 'windows-1251', source: 'http' });
    expect(out.text).toContain('Москва');
  });

  it('uses the prolog when the header has no charset (GB2312 read as GBK)', () => {
    const body = iconv.encode(xml('GB2312', '北约国防部长'), 'gb2312');
    const out = decodeFeedBody(body, 'application/rss+xml');
    expect(out.source).toBe('prolog');
    expect(out.text).toContain('北约国防部长');
  });

  it('prefers valid UTF-8 over a server-default ISO-8859-1 header', () => {
    const out = decodeFeedBody(Buffer.from(xml('UTF-8', 'Łódź – Київ')), 'text/xml; charset=ISO-8859-1');
    expect(out).toMatchObject({ charset: 'utf-8', source: 'sniffed-utf8' });
    expect(out.text).toContain('Łódź – Київ');
  });

  it('keeps a real ISO-8859-1 body as latin (windows-1252 superset) when it is not valid UTF-8', () => {
    const out = decodeFeedBody(iconv.encode(xml(null, 'Größe'), 'latin1'), 'text/xml; charset=ISO-8859-1');
    expect(out).toMatchObject({ charset: 'windows-1252', source: 'http' });
    expect(out.text).toContain('Größe');
  });

  it('falls back to the prolog when a declared UTF-8 header is contradicted by invalid bytes', () => {
    const out = decodeFeedBody(iconv.encode(xml('KOI8-R', 'Новости'), 'koi8-r'), 'application/xml; charset=utf-8');
    expect(out).toMatchObject({ charset: 'koi8-r', source: 'prolog' });
    expect(out.text).toContain('Новости');
  });

  it('defaults to UTF-8 and falls back to windows-1252 for invalid bytes without any declaration', () => {
    expect(decodeFeedBody(Buffer.from(xml(null, 'Zürich')), null).source).toBe('default');
    const out = decodeFeedBody(Buffer.from([...Buffer.from('<rss><channel><title>caf'), 0xe9, ...Buffer.from('</title></channel></rss>')]), null);
    expect(out).toMatchObject({ source: 'fallback' });
    expect(out.text).toContain('café');
  });
});
