import { describe, expect, it } from 'vitest';
import { articleIdFor, canonicalUrl, canonicalUrlForItem } from '../../../src/feeds/canonical-url.js';
import { titleKey } from '../../../src/feeds/title-key.js';

describe('canonicalUrl', () => {
  it.each([
    ['HTTPS://WWW.Example.COM:443/News/Story?b=2&a=1#comments', 'https://www.example.com/News/Story?a=1&b=2'],
    ['http://example.com:80', 'http://example.com/'],
    ['http://example.com:8080/x', 'http://example.com:8080/x'],
    ['https://example.com/a?utm_source=rss&utm_medium=feed&id=7&fbclid=abc&gclid=1&mc_cid=2&mc_eid=3', 'https://example.com/a?id=7'],
    ['https://www.bbc.com/news/articles/c4g1?at_medium=RSS&at_campaign=rss', 'https://www.bbc.com/news/articles/c4g1'],
    ['https://example.com/a?', 'https://example.com/a'],
    ['https://user:pw@example.com./a', 'https://example.com/a'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalUrl(input)).toBe(expected);
  });

  it('refuses what is not an http(s) URL', () => {
    expect(canonicalUrl('javascript:alert(1)')).toBeNull();
    expect(canonicalUrl('not a url')).toBeNull();
  });

  it('derives a stable, URL-safe article id', () => {
    const id = articleIdFor('https://example.com/a');
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(articleIdFor('https://example.com/a')).toBe(id);
    expect(articleIdFor('https://example.com/b')).not.toBe(id);
  });

  it('falls back to a guid URL, then to a per-feed urn', () => {
    expect(canonicalUrlForItem({ link: null, guid: 'https://example.com/p/1?utm_source=x', title: 't' }, 'f')).toBe('https://example.com/p/1');
    const urn = canonicalUrlForItem({ link: null, guid: 'tag:example.com,2026:1', title: 't' }, 'f');
    expect(urn).toMatch(/^urn:framewatch:f:[0-9a-f]{24}$/);
    expect(canonicalUrlForItem({ link: null, guid: 'tag:example.com,2026:1', title: 'other' }, 'f')).toBe(urn);
  });
});

describe('titleKey', () => {
  it('normalises case, accents, punctuation, stop words and an outlet suffix', () => {
    expect(titleKey('Estonia Raises Defence Spending To Record Level | Daily Paper')).toBe(titleKey('Estonia raises defence spending to record level - Wire Service'));
    expect(titleKey('Sécurité énergétique : l’UE adopte un plan')).toBe(titleKey('Securite energetique — l’UE adopte un plan'));
  });

  it('does not index short, generic headlines', () => {
    expect(titleKey('Live updates')).toBeNull();
    expect(titleKey('The news in brief')).toBeNull();
  });
});
