import { describe, expect, it } from 'vitest';
import { feedsFileSchema } from '../../../src/config/feeds-schema.js';
import { mergeFeedsYaml } from '../../../src/feeds/feeds-yaml.js';
import { parseOpml, toOpml } from '../../../src/feeds/opml.js';
import { parseDocument } from 'yaml';

const OPML = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Feedly export</title></head>
  <body>
    <outline text="Security" title="Security">
      <outline type="rss" text="NATO News" title="NATO News" xmlUrl="https://www.nato.int/cps/rss/en/natohq/rssFeed.xsl/rssFeed.xml" htmlUrl="https://www.nato.int/"/>
      <outline type="rss" text="War on the Rocks" xmlUrl="https://warontherocks.com/feed/" category="/analysis,defence"/>
    </outline>
    <outline text="Energy">
      <outline type="rss" text="IEA News &amp; Commentary" xmlUrl="https://www.iea.org/api/rss/news"/>
      <outline type="rss" text="NATO again" xmlUrl="https://www.nato.int/cps/rss/en/natohq/rssFeed.xsl/rssFeed.xml"/>
    </outline>
    <outline type="rss" text="Not a web feed" xmlUrl="javascript:alert(1)"/>
  </body>
</opml>`;

describe('OPML', () => {
  it('reads feeds with folders as tags, decoding entities and dropping duplicates and non-http URLs', () => {
    expect(parseOpml(OPML)).toEqual([
      { url: 'https://www.nato.int/cps/rss/en/natohq/rssFeed.xsl/rssFeed.xml', name: 'NATO News', tags: ['Security'] },
      { url: 'https://warontherocks.com/feed/', name: 'War on the Rocks', tags: ['Security', 'analysis', 'defence'] },
      { url: 'https://www.iea.org/api/rss/news', name: 'IEA News & Commentary', tags: ['Energy'] },
    ]);
  });

  it('refuses documents that are not OPML or declare entities', () => {
    expect(() => parseOpml('<rss/>')).toThrow(/not an OPML/);
    expect(() => parseOpml('<opml><body>')).toThrow(/invalid OPML/);
    expect(() => parseOpml('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><opml><body/></opml>')).toThrow(/entity/);
  });

  it('exports what it imports', () => {
    const feeds = feedsFileSchema.parse({ feeds: [{ url: 'https://example.org/feed?a=1&b=2', name: 'Ex "quoted" <feed>', tags: ['eu', 'energy'] }, { url: 'https://example.com/rss' }] });
    expect(parseOpml(toOpml(feeds))).toEqual([
      { url: 'https://example.org/feed?a=1&b=2', name: 'Ex "quoted" <feed>', tags: ['eu', 'energy'] },
      { url: 'https://example.com/rss', name: 'example.com', tags: [] },
    ]);
  });
});

describe('mergeFeedsYaml', () => {
  const EXISTING = `# Feeds framewatch polls.
feeds:
  # NATO's own news, checked every 10 minutes
  - url: https://www.nato.int/cps/rss/en/natohq/rssFeed.xsl/rssFeed.xml
    name: NATO   # official
    interval: 10m
`;

  it('adds new feeds, skips known ones, and keeps comments and existing entries', () => {
    const out = mergeFeedsYaml(EXISTING, parseOpml(OPML));
    expect(out.added.map((f) => f.url)).toEqual(['https://warontherocks.com/feed/', 'https://www.iea.org/api/rss/news']);
    expect(out.skipped.map((f) => f.url)).toEqual(['https://www.nato.int/cps/rss/en/natohq/rssFeed.xsl/rssFeed.xml']);
    expect(out.text).toContain("# NATO's own news, checked every 10 minutes");
    expect(out.text).toMatch(/name: NATO +# official/);
    const feeds = feedsFileSchema.parse(parseDocument(out.text).toJS());
    expect(feeds.map((f) => [f.name, f.intervalMs, f.tags])).toEqual([
      ['NATO', 600_000, []],
      ['War on the Rocks', 900_000, ['Security', 'analysis', 'defence']],
      ['IEA News & Commentary', 900_000, ['Energy']],
    ]);
    // Importing the same file again changes nothing.
    expect(mergeFeedsYaml(out.text, parseOpml(OPML)).added).toEqual([]);
  });

  it("keeps the file's own formatting: only the new entries' lines are added (flow tags, quotes, blank lines, comments)", () => {
    const existing = [
      '# my feeds',
      'feeds:',
      '  - url: https://a.example/feed   # first',
      '    name: "A: quoted"',
      '    tags: [nato, official]',
      '',
      '  - url: https://b.example/feed',
      '    tags: [energy]',
      '  # - url: https://disabled.example/feed',
      '',
    ].join('\n');
    const out = mergeFeedsYaml(existing, [{ url: 'https://c.example/rss', name: 'C & D', tags: ['x', 'y, z'] }]);
    const added = ['  - url: https://c.example/rss', '    name: C & D', '    tags: [x, "y, z"]'];
    const lines = existing.split('\n');
    expect(out.text.split('\n')).toEqual([...lines.slice(0, 8), ...added, ...lines.slice(8)]);
    expect(feedsFileSchema.parse(parseDocument(out.text).toJS()).map((f) => [f.name, f.tags])).toEqual([
      ['A: quoted', ['nato', 'official']],
      ['b.example', ['energy']],
      ['C & D', ['x', 'y, z']],
    ]);
    // Nothing new: the text is returned as it was.
    expect(mergeFeedsYaml(out.text, [{ url: 'https://c.example/rss', name: null, tags: [] }]).text).toBe(out.text);
  });

  it('adds under `feeds:` with no value and replaces `feeds: []`, keeping a comment on that line', () => {
    expect(mergeFeedsYaml('# none yet\nfeeds:\n', [{ url: 'https://e.example/rss', name: null, tags: [] }]).text).toBe('# none yet\nfeeds:\n  - url: https://e.example/rss\n');
    expect(mergeFeedsYaml('feeds: []  # to do\n', [{ url: 'https://e.example/rss', name: null, tags: ['a'] }]).text).toBe('feeds: # to do\n  - url: https://e.example/rss\n    tags: [a]\n');
  });

  it('starts a file from nothing and from `feeds: []`', () => {
    for (const start of ['', 'feeds: []\n']) {
      const out = mergeFeedsYaml(start, [{ url: 'https://example.org/rss', name: null, tags: [] }]);
      expect(feedsFileSchema.parse(parseDocument(out.text).toJS()).map((f) => f.url)).toEqual(['https://example.org/rss']);
      expect(out.text).toContain('- url: https://example.org/rss');
    }
  });
});
