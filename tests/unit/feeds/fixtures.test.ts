import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { FeedFormat, FeedItem, ParsedFeed } from '../../../src/domain/types.js';
import { FeedParseError, parseFeed } from '../../../src/feeds/parse-feed.js';
import { ENCODED_FIXTURES } from '../../fixtures/feeds/make-encoded.js';

const DIR = fileURLToPath(new URL('../../fixtures/feeds/', import.meta.url));
const read = (file: string) => readFileSync(`${DIR}${file}`);

interface Expect {
  format: FeedFormat;
  title: string;
  count: number;
  /** Checked against the first item unless `index` is given. */
  items: (Partial<FeedItem> & { index?: number })[];
  feed?: Partial<Pick<ParsedFeed, 'link' | 'ttlMs' | 'updatePeriodMs'>>;
}

type Case = { file: string; contentType?: string } & ({ ok: Expect } | { error: FeedParseError['code']; message: RegExp });

const CASES: Case[] = [
  {
    file: 'bbc-world-rss2.xml',
    ok: {
      format: 'rss',
      title: 'BBC News',
      count: 3,
      feed: { ttlMs: 15 * 60_000, link: 'https://www.bbc.co.uk/news/world' },
      items: [
        {
          title: 'Nato allies agree new air defence package for Ukraine',
          guid: 'https://www.bbc.com/news/articles/c4g1n2x7m8zo#0',
          link: 'https://www.bbc.com/news/articles/c4g1n2x7m8zo?at_medium=RSS&at_campaign=rss',
          publishedAt: '2026-11-24T17:05:31.000Z',
          contentHtml: null,
        },
      ],
    },
  },
  {
    file: 'reuters-world-rss2.xml',
    ok: {
      format: 'rss',
      title: 'Reuters World News',
      count: 2,
      items: [
        { author: 'Andrea Shalal', categories: ['World', 'Europe'], summary: 'Finance ministers from the Group of Seven discussed on Tuesday a plan to use windfall profits from frozen Russian central bank assets.' },
        { index: 1, title: 'Poland, Baltic states step up border defences with new ‘East Shield’ funding', contentHtml: '<p>Poland and the three Baltic states agreed on Tuesday to pool funding for fortifications.</p>' },
      ],
    },
  },
  {
    file: 'nato-news-rss2.xml',
    ok: {
      format: 'rss',
      title: 'NATO News',
      count: 2,
      items: [{ index: 1, publishedAt: '2026-11-23T17:10:00.000Z', enclosures: [{ url: 'https://www.nato.int/nato_static_fl2014/assets/audio/2026/11/231123-nuc.mp3', type: 'audio/mpeg', length: 5123456 }] }],
    },
  },
  {
    file: 'govuk-fcdo-atom.xml',
    ok: {
      format: 'atom',
      title: 'Foreign, Commonwealth & Development Office - Activity on GOV.UK',
      count: 2,
      items: [{ link: 'https://www.gov.uk/government/news/uk-sanctions-target-russian-military-suppliers', summary: "The UK has sanctioned 30 entities supplying Russia's military.", publishedAt: '2026-11-24T16:30:02.000Z' }],
    },
  },
  {
    file: 'kyiv-independent-rss2.xml',
    ok: {
      format: 'rss',
      title: 'The Kyiv Independent',
      count: 2,
      feed: { ttlMs: 3_600_000 },
      items: [{ guid: '6743a1f0e2b7c10001a3c9d1', author: 'Martin Fornusek', enclosures: [{ url: 'https://kyivindependent.com/content/images/2026/11/saratov.jpg', type: 'image', length: null }] }],
    },
  },
  {
    file: 'meduza-en-rss2.xml',
    ok: { format: 'rss', title: 'Meduza', count: 2, items: [{ index: 1, title: 'Kremlin says talks with Washington on sanctions relief "not on the agenda"' }] },
  },
  {
    file: 'lemonde-international-rss2.xml',
    ok: {
      format: 'rss',
      title: "International : Toute l'actualité sur Le Monde.fr.",
      count: 2,
      items: [
        { publishedAt: '2026-11-24T16:58:11.000Z', summary: 'Bruxelles veut cibler la « flotte fantôme » russe et les importations de GNL.' },
        { index: 1, publishedAt: '2026-11-23T08:12:40.000Z' },
      ],
    },
  },
  {
    file: 'rss091-netscape.xml',
    ok: { format: 'rss', title: 'Council on Foreign Relations - Analysis', count: 2, items: [{ guid: null, publishedAt: null, dateFlagged: true, link: 'https://www.cfr.org/in-brief/how-sanctions-russia-are-working' }] },
  },
  {
    file: 'rss092-userland.xml',
    ok: {
      format: 'rss',
      title: 'Carnegie Politika',
      count: 2,
      items: [{ summary: 'Read more on how Moscow keeps oil flowing.', enclosures: [{ url: 'https://carnegieendowment.org/podcasts/shadow-fleet.mp3', type: 'audio/mpeg', length: 24986239 }] }],
    },
  },
  {
    file: 'rss-no-version.xml',
    ok: { format: 'rss', title: 'Ministry of Foreign Affairs of Ukraine - News', count: 1, items: [{ publishedAt: '2026-11-24T08:30:00.000Z' }] },
  },
  {
    file: 'rdf-rss10-eurasianet.xml',
    ok: {
      format: 'rdf',
      title: 'Eurasianet',
      count: 2,
      feed: { updatePeriodMs: 1_800_000 },
      items: [
        { guid: 'https://eurasianet.org/georgia-parliament-foreign-agents', publishedAt: '2026-11-24T11:02:00.000Z', author: 'Giorgi Lomsadze', categories: ['Georgia'] },
        { index: 1, summary: 'Deliveries via the Southern Gas Corridor rose 8%.', contentHtml: '<p>Deliveries via the <em>Southern Gas Corridor</em> rose 8% year on year, SOCAR said.</p>' },
      ],
    },
  },
  {
    file: 'atom03-blogger.xml',
    ok: {
      format: 'atom',
      title: 'Wider Europe Blog',
      count: 2,
      items: [
        {
          title: 'Why the Black Sea grain corridor still matters & what comes next',
          publishedAt: '2026-11-22T09:15:00.000Z',
          contentHtml: `<p>Ukraine's maritime corridor has carried <a href="https://wider-europe.blogspot.com/2026/11/stats.html">over 60 million tonnes</a>.</p>`,
        },
        { index: 1, contentHtml: '<p>Panels on deterrence and the eastern flank.</p>' },
      ],
    },
  },
  {
    file: 'atom-xhtml-xmlbase-csis.xml',
    ok: {
      format: 'atom',
      title: 'CSIS Analysis',
      count: 2,
      feed: { link: 'https://www.csis.org/' },
      items: [
        {
          title: "Assessing Russia's Defense Industrial Base",
          link: 'https://www.csis.org/analysis/assessing-russias-defense-industrial-base',
          author: 'Maria Snegovaya, Max Bergmann',
          categories: ['Defense and Security'],
          publishedAt: '2026-11-24T16:00:00.000Z',
          summary: 'Production has surged but depends on imported machine tools & components.',
          contentHtml: `<p>Russia's defense output has <strong>tripled</strong> since 2022.</p><p><a href="https://www.csis.org/analysis/2026/charts/output.html">See the charts</a>.</p>`,
          enclosures: [{ url: 'https://www.csis.org/files/reports/russia-dib.pdf', type: 'application/pdf', length: 2048000 }],
        },
        { index: 1, title: 'Energy Security & the Baltic Sea', link: 'https://www.csis.org/podcasts/energy-security-baltic-sea' },
      ],
    },
  },
  {
    file: 'jsonfeed-1.1-microblog.json',
    ok: {
      format: 'jsonfeed',
      title: 'Europe Desk',
      count: 2,
      items: [
        { author: 'Lena Hoffmann', categories: ['defence', 'EU'], publishedAt: '2026-11-24T13:05:00.000Z', enclosures: [{ url: 'https://feed.example/uploads/2026/edip.pdf', type: 'application/pdf', length: 120334 }] },
        { index: 1, guid: '1732450000', link: 'https://feed.example/2026/11/24/short-note.html', title: 'Short note: the Council meets again on 12 December to discuss energy' },
      ],
    },
  },
  {
    file: 'jsonfeed-1.0-daringfireball-style.json',
    ok: { format: 'jsonfeed', title: 'Baltic Security Notes', count: 2, items: [{ guid: '20261123', author: 'Kadri Tamm', summary: 'The Riigikogu passed the budget with “a clear majority”.' }] },
  },
  { file: 'jsonfeed-truncated.json', error: 'invalid-json', message: /invalid JSON Feed/ },
  {
    file: 'missing-guids-mfa-rss2.xml',
    ok: {
      format: 'rss',
      title: 'Ministry of Foreign Affairs of the Republic of Poland',
      count: 3,
      items: [
        { guid: null, link: 'https://www.gov.pl/web/diplomacy/nb8-meeting' },
        { index: 2, guid: null, link: null, title: 'Statement on the anniversary of the Holodomor, without a title or' },
      ],
    },
  },
  {
    file: 'duplicated-items-rferl-rss2.xml',
    ok: { format: 'rss', title: 'RFE/RL - Ukraine', count: 2, items: [{ title: 'Zelenskiy Meets EU Leaders in Brussels (Updated)', publishedAt: '2026-11-24T15:10:00.000Z' }] },
  },
  {
    file: 'xml-base-relative-links-rss2.xml',
    ok: {
      format: 'rss',
      title: 'Council of the EU - Press releases',
      count: 2,
      feed: { link: 'https://www.consilium.europa.eu/en/press/press-releases/' },
      items: [
        { link: 'https://www.consilium.europa.eu/en/press/press-releases/2026/11/24/russia-council-prolongs-economic-sanctions/' },
        { index: 1, link: 'https://www.consilium.europa.eu/fr/press/press-releases/2026/11/23/ukraine-aide-macrofinanciere/' },
      ],
    },
  },
  {
    file: 'rfc822-deviations-elpais-rss2.xml',
    ok: {
      format: 'rss',
      title: 'EL PAÍS: Internacional',
      count: 3,
      items: [
        { publishedAt: '2026-11-24T08:05:00.000Z' },
        { index: 1, publishedAt: '2026-11-23T17:30:00.000Z' },
        { index: 2, publishedAt: null, dateFlagged: true },
      ],
    },
  },
  {
    file: 'hostile-billion-laughs.xml',
    ok: { format: 'rss', title: 'Laughs', count: 1, items: [{ title: '&lol9;', summary: '&lol9;' }] },
  },
  { file: 'hostile-external-entity.xml', error: 'unsafe-xml', message: /external entity/ },
  {
    file: 'hostile-proto-elements.xml',
    ok: { format: 'rss', title: 'Prototype pollution attempt', count: 1, items: [{ guid: 'ordinary-1', title: 'Ordinary item next to hostile elements', categories: ['__proto__'] }] },
  },
  { file: 'hostile-invalid-xml.xml', error: 'invalid-xml', message: /line 9/ },
  { file: 'hostile-html-page.html', contentType: 'application/rss+xml', error: 'html-page', message: /HTML page/ },
];

const ENCODED_TITLES: Record<string, string> = {
  'xinhua-world-gb2312.xml': '北约国防部长会议在布鲁塞尔举行',
  'faz-politik-iso-8859-1.xml': 'Bundesregierung plant Milliardenhilfe für die Ukraine',
  'idnes-zpravy-iso-8859-2.xml': 'Česko pošle Ukrajině další dávku munice, řekl ministr obrany',
  'ria-world-windows-1251.xml': 'Песков прокомментировал новые санкции Евросоюза',
  'opennet-koi8-r.xml': 'Уязвимость в OpenSSH позволяет обойти аутентификацию',
};

describe('parseFeed over the fixture feeds', () => {
  it('has an expectation for every committed fixture', () => {
    const files = readdirSync(DIR).filter((f) => !f.endsWith('.md') && !f.endsWith('.ts'));
    const covered = new Set([...CASES.map((c) => c.file), ...Object.keys(ENCODED_TITLES)]);
    expect(files.filter((f) => !covered.has(f))).toEqual([]);
    expect(files.length).toBeGreaterThanOrEqual(25);
  });

  it.each(CASES)('$file', (c) => {
    const run = () => parseFeed(read(c.file), { url: `https://feed.example/${c.file}`, contentType: c.contentType ?? null });
    if ('error' in c) {
      let caught: unknown;
      try {
        run();
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(FeedParseError);
      expect((caught as FeedParseError).code).toBe(c.error);
      expect((caught as FeedParseError).message).toMatch(c.message);
      return;
    }
    const feed = run();
    expect(feed.format).toBe(c.ok.format);
    expect(feed.title).toBe(c.ok.title);
    expect(feed.items).toHaveLength(c.ok.count);
    if (c.ok.feed) expect(feed).toMatchObject(c.ok.feed);
    for (const { index, ...fields } of c.ok.items) expect(feed.items[index ?? 0]).toMatchObject(fields);
    for (const item of feed.items) {
      expect(item.title.length).toBeGreaterThan(0);
      if (item.link) expect(item.link).toMatch(/^https?:\/\//);
      if (item.publishedAt === null) expect(item.dateFlagged).toBe(true);
    }
  });

  it.each(Object.entries(ENCODED_TITLES))('decodes %s by its XML prolog', (file, title) => {
    const feed = parseFeed(read(file), { url: 'https://feed.example/', contentType: 'application/rss+xml' });
    expect(feed.items[0]?.title).toBe(title);
    expect(feed.items).toHaveLength(2);
    expect(JSON.stringify(feed)).not.toContain('\uFFFD');
  });

  it('the encoded fixtures on disk are what make-encoded.ts writes (really non-UTF-8 bytes)', () => {
    for (const f of ENCODED_FIXTURES) {
      const bytes = read(f.file);
      expect(new TextDecoder('utf-8', { fatal: false }).decode(bytes)).not.toBe(f.xml);
      expect(bytes.includes(Buffer.from(`encoding="${f.encoding}"`))).toBe(true);
    }
  });

  it('the HTTP charset wins over the prolog when both are real charsets', () => {
    // The windows-1251 bytes announced as KOI8-R by the server decode as KOI8-R: header beats prolog (browsers' rule).
    const feed = parseFeed(read('ria-world-windows-1251.xml'), { url: 'https://ria.ru/', contentType: 'application/rss+xml; charset=koi8-r' });
    expect(feed.items[0]?.title).not.toBe(ENCODED_TITLES['ria-world-windows-1251.xml']);
  });

  it('does not let __proto__ elements reach Object.prototype', () => {
    parseFeed(read('hostile-proto-elements.xml'), { url: 'https://attacker.example/' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('sniffs the format from the bytes, not the Content-Type', () => {
    const atomAsHtml = parseFeed(read('govuk-fcdo-atom.xml'), { url: 'https://www.gov.uk/x.atom', contentType: 'text/html; charset=utf-8' });
    expect(atomAsHtml.format).toBe('atom');
    const jsonAsXml = parseFeed(read('jsonfeed-1.1-microblog.json'), { url: 'https://europedesk.micro.blog/feed.json', contentType: 'application/xml' });
    expect(jsonAsXml.format).toBe('jsonfeed');
  });
});
