import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { isoDate, normaliseLang, readMetadata } from '../../../src/extract/metadata.js';

function meta(head: string, body = '', htmlAttrs = ''): ReturnType<typeof readMetadata> {
  const { document } = parseHTML(`<!doctype html><html ${htmlAttrs}><head>${head}</head><body>${body}</body></html>`);
  return readMetadata(document as unknown as Document, 'https://news.example/world/story');
}

describe('readMetadata', () => {
  it('reads JSON-LD inside @graph first', () => {
    const ld = JSON.stringify({
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'WebSite', name: 'Example News' },
        { '@type': 'NewsArticle', headline: 'Talks stall', datePublished: '2026-11-20T08:30:00+01:00', dateModified: '2026-11-20T10:00:00Z', author: [{ '@type': 'Person', name: 'Ana Ruiz' }, { name: 'Tom Lee' }], image: { url: '/img/lead.jpg' }, publisher: { name: 'Example News' }, inLanguage: 'es' },
      ],
    });
    const m = meta(`<script type="application/ld+json">${ld}</script>`);
    expect(m).toMatchObject({
      title: 'Talks stall',
      byline: 'Ana Ruiz, Tom Lee',
      publishedAt: '2026-11-20T07:30:00.000Z',
      modifiedAt: '2026-11-20T10:00:00.000Z',
      leadImage: 'https://news.example/img/lead.jpg',
      siteName: 'Example News',
      lang: 'es',
    });
  });

  it('falls back to Open Graph and article meta tags, then <time>', () => {
    const m = meta(
      '<meta property="og:title" content="OG title"><meta property="og:site_name" content="Site"><meta property="article:published_time" content="2026-11-19"><meta property="og:image" content="https://cdn.example/a.jpg"><link rel="canonical" href="/world/story-canonical"><meta name="author" content="Jo Kim">',
    );
    expect(m).toMatchObject({ title: 'OG title', siteName: 'Site', publishedAt: '2026-11-19T00:00:00.000Z', leadImage: 'https://cdn.example/a.jpg', canonicalUrl: 'https://news.example/world/story-canonical', byline: 'Jo Kim' });
    expect(meta('<title>T</title>', '<article><time datetime="2026-11-18T12:00:00Z">Nov 18</time></article>').publishedAt).toBe('2026-11-18T12:00:00.000Z');
  });

  it('survives broken JSON-LD and takes <html lang>', () => {
    const m = meta('<script type="application/ld+json">{ not json</script><title>Plain</title>', '', 'lang="pt_BR"');
    expect(m.title).toBe('Plain');
    expect(m.lang).toBe('pt-BR');
    expect(m.publishedAt).toBeNull();
  });
});

describe('date and language normalisation', () => {
  it('turns dates into UTC ISO strings and refuses junk', () => {
    expect(isoDate('Tue, 19 Nov 2019 16:04:00 GMT')).toBe('2019-11-19T16:04:00.000Z');
    expect(isoDate('1574179440')).toBe('2019-11-19T16:04:00.000Z');
    expect(isoDate('0000-00-00')).toBeNull();
    expect(isoDate('yesterday')).toBeNull();
    expect(isoDate('1970-01-01T00:00:00Z')).toBeNull();
  });

  it('normalises language tags', () => {
    expect(normaliseLang('EN-us')).toBe('en-US');
    expect(normaliseLang('zh-Hant')).toBe('zh-Hant');
    expect(normaliseLang('fr')).toBe('fr');
    expect(normaliseLang('')).toBeNull();
    expect(normaliseLang('12')).toBeNull();
  });
});
