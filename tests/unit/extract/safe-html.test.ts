import { describe, expect, it } from 'vitest';
import type { DomEngine } from '../../../src/extract/dom-engine.js';
import { extractFromHtml } from '../../../src/extract/extract-html.js';
import { sanitizeArticleHtml } from '../../../src/extract/safe-html.js';
import { articleFromHtml } from '../../../src/pipeline/extract.js';
import { executableParts, XSS_VECTORS } from '../../security/xss-vectors.js';

const paragraph = (n: number) =>
  `<p>Paragraph ${n} of the statement: ministers met in Brussels to agree on the next package of measures, and officials said the talks would continue next week with partners from the region.</p>`;

/** A real-looking article page with the vector in the middle of its body, where Readability keeps it. */
const pageWith = (vector: string) =>
  `<!doctype html><html><head><title>Ministers agree new measures</title></head><body><article><h1>Ministers agree new measures</h1>${paragraph(1)}${paragraph(2)}<p>Before the vector. ${vector} After the vector, the statement goes on about the measures.</p>${paragraph(3)}${paragraph(4)}</article></body></html>`;

describe('sanitizeArticleHtml', () => {
  it.each(XSS_VECTORS)('leaves nothing executable: $name', ({ html }) => {
    expect(executableParts(html).length + (html.includes('//evil') ? 1 : 0)).toBeGreaterThan(0);
    expect(executableParts(sanitizeArticleHtml(html))).toEqual([]);
  });

  it('keeps what an article needs: structure, http(s) links and images with srcset, tables, quotes', () => {
    const html =
      '<h2 lang="en">Heading</h2><p>Text with <a href="https://news.example/a?b=1&amp;c=2">a link</a>, <em>emphasis</em> and <a href="/relative">a relative link</a>.</p>' +
      '<figure><img src="https://img.example/a.jpg" srcset="https://img.example/a.jpg 1x, https://img.example/b.jpg 2x" alt="A photo" width="640"><figcaption>Caption</figcaption></figure>' +
      '<blockquote cite="https://news.example/q"><p>Quote</p></blockquote><ul><li>One</li></ul><table><tr><th scope="col">H</th></tr><tr><td colspan="2">C</td></tr></table>';
    const clean = sanitizeArticleHtml(html);
    expect(clean).toContain('<a href="https://news.example/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">a link</a>');
    expect(clean).toContain('<a href="/relative"');
    expect(clean).toContain('srcset="https://img.example/a.jpg 1x, https://img.example/b.jpg 2x"');
    expect(clean).toContain('<figcaption>Caption</figcaption>');
    expect(clean).toContain('<blockquote cite="https://news.example/q">');
    expect(clean).toContain('<th scope="col">H</th>');
    expect(clean).toContain('<h2 lang="en">Heading</h2>');
    expect(sanitizeArticleHtml(clean)).toBe(clean);
  });
});

describe.each<DomEngine>(['linkedom', 'jsdom'])('the extract stage stores sanitised HTML (%s)', (engine) => {
  it.each(XSS_VECTORS)('$name', ({ html }) => {
    const page = extractFromHtml(pageWith(html), { url: 'https://news.example/measures', engine });
    expect(page.failure).toBeNull();
    expect(page.text).toContain('Paragraph 1 of the statement');
    expect(executableParts(page.html ?? '')).toEqual([]);
  });
});

describe('the feed-content fallback stores sanitised HTML', () => {
  it('sanitises the feed item HTML kept when the page is unusable', async () => {
    const contentHtml = `<p>${'Officials described the new measures in detail. '.repeat(20)}</p>${XSS_VECTORS.map((v) => v.html).join('\n')}`;
    const item = { guid: null, link: 'https://news.example/x', title: 'x', publishedAt: null, summary: 'Short.', contentHtml, author: null, categories: [], enclosures: [] };
    const article = await articleFromHtml('<html><body><p>too short</p></body></html>', 'https://news.example/x', item, { engine: 'linkedom', minConfidence: 0.5 });
    expect(article.method).toBe('feed-content');
    expect(article.html).toContain('Officials described');
    expect(executableParts(article.html ?? '')).toEqual([]);
  });
});
