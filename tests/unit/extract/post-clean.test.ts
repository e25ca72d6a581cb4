import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { blockText } from '../../../src/extract/block-text.js';
import { postClean, type PostCleanRule } from '../../../src/extract/post-clean.js';

const PROSE = (n: number): string => `<p>Paragraph ${n} of the article explains what the ministers agreed, why two member states held out, and what the compromise text now on the table would change for energy imports next year.</p>`;

function clean(inner: string, disabled: PostCleanRule[] = []): string {
  const { document } = parseHTML(`<!doctype html><html><body><div id="content">${PROSE(1)}${inner}${PROSE(2)}${PROSE(3)}</div></body></html>`);
  const content = (document as unknown as Document).getElementById('content');
  if (!content) throw new Error('no content');
  postClean(content, { pageUrl: 'https://news.example/world/article-1', disabled: new Set(disabled) });
  return blockText(content);
}

describe('postClean', () => {
  it('removes figures and captions', () => {
    const out = clean('<figure><img src="a.jpg"><figcaption>The minister arrives (Photo: Getty Images)</figcaption></figure>');
    expect(out).not.toMatch(/minister arrives/);
    expect(clean('<figure><figcaption>The minister arrives</figcaption></figure>', ['tags'])).toMatch(/minister arrives/);
  });

  it('removes containers named like boilerplate (share bars, newsletter boxes, author bios)', () => {
    for (const cls of ['share-tools', 'newsletter-signup', 'author-bio', 'related-links', 'article-caption']) {
      expect(clean(`<div class="${cls}"><p>Boilerplate block text here</p></div>`)).not.toMatch(/Boilerplate block/);
    }
    expect(clean('<div class="story-text"><p>Boilerplate block text here</p></div>')).toMatch(/Boilerplate block/);
  });

  it('never removes a container holding most of the article', () => {
    const { document } = parseHTML(`<html><body><div id="c"><div class="share-wrapper">${PROSE(1)}${PROSE(2)}${PROSE(3)}</div></div></body></html>`);
    const content = (document as unknown as Document).getElementById('c');
    if (!content) throw new Error('no content');
    postClean(content, { pageUrl: 'https://news.example/a' });
    expect(blockText(content)).toMatch(/Paragraph 3/);
  });

  it('removes prompts and pointers: read more, related, sign up, media credits', () => {
    for (const line of ['Read more: Talks collapse in Brussels', 'Related: What sanctions do', 'Sign up for our daily briefing', 'Image copyright Getty Images', 'Subscribe to our newsletter']) {
      expect(clean(`<p>${line}</p>`)).not.toContain(line);
    }
    expect(clean('<p>Read more: Talks collapse in Brussels</p>', ['phrases'])).toContain('Read more');
  });

  it('removes reporting credits and datelines', () => {
    expect(clean('<p>Reporting by Ana Ruiz; Editing by Tom Lee</p>')).not.toMatch(/Reporting by/);
    expect(clean('<p>Associated Press writer Jo Kim contributed to this report.</p>')).not.toMatch(/contributed/);
    expect(clean('<p>Published 11:34 PM EST Nov 19, 2019</p>')).not.toMatch(/Published/);
    expect(clean('<p>November 19, 2019 | 4:20am</p>')).not.toMatch(/November 19/);
  });

  it('removes short blocks linking within the site but keeps links elsewhere', () => {
    const internal = '<ul><li><a href="/world/other-story">Ministers meet again in Luxembourg</a></li></ul>';
    expect(clean(internal)).not.toMatch(/Luxembourg/);
    const external = '<p><a href="https://www.amazon.com/dp/123">Get it on Amazon for $39.99</a></p>';
    expect(clean(external)).toMatch(/Get it on Amazon/);
  });

  it('trims short stubs at the edges but keeps sentences and CJK paragraphs', () => {
    const { document } = parseHTML(`<html><body><div id="c"><p>Opinion</p>${PROSE(1)}${PROSE(2)}<p>Staff writer</p></div></body></html>`);
    const content = (document as unknown as Document).getElementById('c');
    if (!content) throw new Error('no content');
    postClean(content, { pageUrl: 'https://news.example/a' });
    const text = blockText(content);
    expect(text).not.toMatch(/^Opinion/);
    expect(text).not.toMatch(/Staff writer$/);
    expect(clean('')).toMatch(/Paragraph 3/);
  });
});
