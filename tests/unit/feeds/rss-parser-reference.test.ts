import { readFileSync } from 'node:fs';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../src/feeds/parse-feed.js';

// rss-parser is the reference: the most used RSS/Atom parser for Node. framewatch parses feeds itself
// (src/feeds/README.md says why); this differential test keeps the two in agreement on ordinary feeds,
// and pins each known case where they differ, so a difference is always a decision, never an accident.
const dir = 'tests/fixtures/feeds/';
const feedUrl = 'https://example.org/feed';
const reference = new Parser();

interface Item {
  title: string | null;
  link: string | null;
}

async function both(file: string): Promise<{ ours: Item[]; theirs: Item[] }> {
  const body = readFileSync(dir + file);
  const ours = parseFeed(body, { url: feedUrl }).items.map((i) => ({ title: i.title ?? null, link: i.link ?? null }));
  // rss-parser takes a string, and reads every body as UTF-8.
  const parsed = await reference.parseString(body.toString('utf8'));
  const theirs = parsed.items.map((i) => ({ title: typeof i.title === 'string' ? i.title.trim() : null, link: i.link ?? null }));
  return { ours, theirs };
}

describe('feed parsing agrees with rss-parser on ordinary feeds', () => {
  const ordinary = [
    'bbc-world-rss2.xml',
    'govuk-fcdo-atom.xml',
    'kyiv-independent-rss2.xml',
    'lemonde-international-rss2.xml',
    'nato-news-rss2.xml',
    'rdf-rss10-eurasianet.xml',
    'reuters-world-rss2.xml',
    'rfc822-deviations-elpais-rss2.xml',
    'rss091-netscape.xml',
    'rss092-userland.xml',
    'hostile-proto-elements.xml',
  ];
  it.each(ordinary)('%s: the same items, titles and links', async (file) => {
    const { ours, theirs } = await both(file);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours).toEqual(theirs);
  });
});

describe('where framewatch departs from rss-parser, on purpose', () => {
  it('decodes the charset a feed declares (rss-parser reads every body as UTF-8)', async () => {
    for (const [file, word] of [
      ['faz-politik-iso-8859-1.xml', 'für'],
      ['idnes-zpravy-iso-8859-2.xml', 'Česko'],
      ['ria-world-windows-1251.xml', 'Песков'],
      ['opennet-koi8-r.xml', 'Уязвимость'],
      ['xinhua-world-gb2312.xml', '北约'],
    ] as const) {
      const { ours, theirs } = await both(file);
      expect(ours.some((i) => i.title?.includes(word)), file).toBe(true);
      expect(theirs.some((i) => i.title?.includes(word)), file).toBe(false);
      expect(theirs.map((i) => i.link)).toEqual(ours.map((i) => i.link));
    }
  });

  it('decodes entities a publisher escaped twice in a title (rss-parser leaves &amp; and &quot; literal)', async () => {
    for (const file of ['atom03-blogger.xml', 'meduza-en-rss2.xml']) {
      const { ours, theirs } = await both(file);
      expect(ours.some((i) => /&(amp|quot);/.test(i.title ?? '')), file).toBe(false);
      expect(theirs.some((i) => /&(amp|quot);/.test(i.title ?? '')), file).toBe(true);
    }
  });

  it('resolves relative links against xml:base (rss-parser returns them relative)', async () => {
    const { ours, theirs } = await both('xml-base-relative-links-rss2.xml');
    expect(ours.every((i) => i.link?.startsWith('https://www.consilium.europa.eu/'))).toBe(true);
    expect(theirs.every((i) => i.link !== null && !/^https?:/.test(i.link))).toBe(true);
  });

  it('collapses an item republished under the same guid to its later copy (rss-parser keeps both)', async () => {
    const { ours, theirs } = await both('duplicated-items-rferl-rss2.xml');
    expect(theirs.length).toBe(ours.length + 1);
  });

  it('reads an <rss> element without a version attribute (rss-parser refuses the feed)', async () => {
    await expect(both('rss-no-version.xml')).rejects.toThrow(/not recognized/);
    expect(parseFeed(readFileSync(dir + 'rss-no-version.xml'), { url: feedUrl }).items.length).toBeGreaterThan(0);
  });

  it('leaves billion-laughs entities unexpanded and reads the feed (rss-parser rejects the document)', async () => {
    await expect(both('hostile-billion-laughs.xml')).rejects.toThrow(/entity/i);
    const items = parseFeed(readFileSync(dir + 'hostile-billion-laughs.xml'), { url: feedUrl }).items;
    expect(items.length).toBeGreaterThan(0);
  });
});
