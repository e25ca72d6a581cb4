import { describe, expect, it } from 'vitest';
import { FeedParseError, parseFeed } from '../../../src/feeds/parse-feed.js';
import { sniffFormat } from '../../../src/feeds/sniff.js';

const parse = (text: string, contentType?: string) => parseFeed(Buffer.from(text), { url: 'https://feed.example/path/feed.xml', contentType: contentType ?? null });
const item = (inner: string) => `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>${inner}</item></channel></rss>`;

function errorOf(fn: () => unknown): FeedParseError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FeedParseError) return err;
    throw err;
  }
  throw new Error('expected a FeedParseError');
}

describe('parseFeed edge cases seen in real feeds', () => {
  it('tolerates blank lines before the XML declaration', () => {
    expect(parse(`\n\n  ${item('<title>a</title><link>/a</link>')}`).items[0]?.link).toBe('https://feed.example/a');
  });

  it('tolerates bare ampersands and HTML named entities', () => {
    const feed = parse(item('<title>AT&T &amp; T-Mobile &nbsp;&mdash; deal</title><link>https://a.example/?a=1&b=2</link>'));
    expect(feed.items[0]?.title).toBe('AT&T & T-Mobile — deal');
    expect(feed.items[0]?.link).toBe('https://a.example/?a=1&b=2');
  });

  it('keeps unescaped XHTML inside a description as HTML', () => {
    const feed = parse(item('<title>a</title><description><p>Hello<br/>world</p></description>'));
    expect(feed.items[0]).toMatchObject({ contentHtml: '<p>Hello<br/>world</p>', summary: 'Hello world' });
  });

  it('keeps a plain-text "<" in an Atom text title', () => {
    const feed = parse('<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>1</id><title type="text">Growth &lt;2% in Q3 &lt;b&gt;</title></entry></feed>');
    expect(feed.items[0]?.title).toBe('Growth <2% in Q3 <b>');
  });

  it('drops javascript: and data: links', () => {
    const feed = parse(item('<title>a</title><link>javascript:alert(1)</link>'));
    expect(feed.items[0]?.link).toBeNull();
  });

  it('rejects JSON that is not a JSON Feed, and a JSON Feed without items', () => {
    expect(errorOf(() => parse('{"version":"1.0","items":[]}')).code).toBe('not-a-feed');
    expect(errorOf(() => parse('{"version":"https://jsonfeed.org/version/1.1","title":"x"}')).message).toMatch(/"items" is not an array/);
    expect(errorOf(() => parse('[1,2]')).code).toBe('not-a-feed');
  });

  it('names the empty body, unknown XML and plain text', () => {
    expect(errorOf(() => parse('')).code).toBe('empty');
    expect(errorOf(() => parse('<?xml version="1.0"?><urlset><url/></urlset>')).message).toMatch(/not RSS, RDF or Atom/);
    expect(errorOf(() => parse('Service Unavailable')).code).toBe('not-a-feed');
  });

  it('sniffs through comments, processing instructions and a doctype', () => {
    expect(sniffFormat('<?xml version="1.0"?>\n<!-- x -->\n<?xml-stylesheet href="a.xsl"?>\n<!DOCTYPE rss [<!ENTITY a "b">]>\n<rss/>')).toBe('rss');
    expect(sniffFormat('<rdf:RDF xmlns:rdf="x"/>')).toBe('rdf');
    expect(sniffFormat('<atom:feed xmlns:atom="http://www.w3.org/2005/Atom"/>')).toBe('atom');
    expect(sniffFormat('<!doctype html><html>')).toBe('html');
    expect(sniffFormat('<HTML><body>')).toBe('html');
  });
});

describe('an HTML page where the feed used to be', () => {
  it('names the feeds the page advertises', () => {
    const page = `<!DOCTYPE html><html><head><title>News</title>
      <link rel="alternate" type="application/rss+xml" title="RSS" href="/news/rss.xml">
      <link rel='alternate' type='application/atom+xml' href='https://cdn.example/atom?a=1&amp;b=2'>
      <link rel="stylesheet" type="text/css" href="/s.css">
      <link rel="alternate" hreflang="fr" href="/fr/">
      </head><body></body></html>`;
    const err = errorOf(() => parse(page));
    expect(err.code).toBe('html-page');
    expect(err.message).toBe('the server sent an HTML page, not a feed; the page links to feeds at https://feed.example/news/rss.xml, https://cdn.example/atom?a=1&b=2');
  });
});

describe('documents built to exhaust the parser', () => {
  it('refuses absurd nesting with a parse error, not a stack overflow', () => {
    const depth = 100_000;
    const err = errorOf(() => parse(item(`<title>t</title>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`)));
    expect(err.code).toBe('invalid-xml');
    expect(err.message).toMatch(/nested/);
  });
});

describe('relative URLs inside feed content', () => {
  it('resolves href and src in RSS content against xml:base, leaving absolute, mailto and fragment links alone', () => {
    const feed = parse(
      `<rss version="2.0" xml:base="https://site.example/news/"><channel><title>t</title><item><title>a</title><link>a.html</link><content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[<p><img src="img/1.jpg"><a href='/about'>x</a><a href="https://other.example/y">y</a><a href="mailto:desk@site.example">m</a><a href="#n">n</a></p>]]></content:encoded></item></channel></rss>`,
    );
    expect(feed.items[0]?.contentHtml).toBe(
      `<p><img src="https://site.example/news/img/1.jpg"><a href='https://site.example/about'>x</a><a href="https://other.example/y">y</a><a href="mailto:desk@site.example">m</a><a href="#n">n</a></p>`,
    );
    expect(feed.items[0]?.link).toBe('https://site.example/news/a.html');
  });
});
