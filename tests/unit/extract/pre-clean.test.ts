import { describe, expect, it } from 'vitest';
import { estimateNestingDepth, preClean } from '../../../src/extract/pre-clean.js';
import { deeplyNestedPage } from './fixture-pages.js';

describe('preClean', () => {
  it('removes scripts, styles, svg, comments, noscript, templates, nav, iframes, selects and buttons', () => {
    const html = [
      '<html><head><style>p{color:red}</style><link rel="stylesheet" href="a.css"><script>var a = "</p>";</script></head><body>',
      '<!-- a comment with <p>markup</p> -->',
      '<nav><a href="/">Home</a></nav>',
      '<p>Kept paragraph.</p>',
      '<svg viewBox="0 0 1 1"><text>icon</text></svg><noscript><img src="x.png"></noscript>',
      '<template><p>template</p></template><iframe src="https://ads.example"></iframe>',
      '<select><option>One</option></select><button>Share</button>',
      '<script type="text/javascript">document.write("x")</script></body></html>',
    ].join('');
    const out = preClean(html);
    expect(out).toContain('<p>Kept paragraph.</p>');
    for (const gone of ['color:red', 'a.css', 'var a', 'comment', 'Home', 'icon', 'x.png', 'template', 'ads.example', 'One', 'Share', 'document.write']) {
      expect(out).not.toContain(gone);
    }
  });

  it('keeps JSON-LD scripts, which carry the metadata', () => {
    const ld = '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2026-01-02"}</script>';
    expect(preClean(`<head>${ld}<script>track()</script></head>`)).toBe(`<head>${ld}</head>`);
  });

  it('drops whitespace next to block-level tags but keeps it between inline ones', () => {
    expect(preClean('<ul>\n  <li>\n    <a href="x">A</a>\n  </li>\n</ul>\n<p>x <b>y</b> <i>z</i></p>')).toBe('<ul><li><a href="x">A</a></li></ul><p>x <b>y</b> <i>z</i></p>');
  });

  it('drops an unterminated script to the end of the page', () => {
    expect(preClean('<p>a</p><script>never closed <p>b</p>')).toBe('<p>a</p>');
  });
});

describe('estimateNestingDepth', () => {
  it('counts the depth of the element tree; void elements are leaves and nest nothing', () => {
    expect(estimateNestingDepth('<div><p>a<br><img src=x>b</p></div>')).toBe(3);
    expect(estimateNestingDepth('<div><p>a<br><br><img src=x><img src=y><hr>b</p></div>')).toBe(3);
    expect(estimateNestingDepth('<div><div><div></div></div></div><p></p>')).toBe(3);
  });

  it('counts as HTML parsers do: <div/> opens a div, and an end tag with nothing of its name open closes nothing', () => {
    expect(estimateNestingDepth('<div/><div/><div/>')).toBe(3);
    expect(estimateNestingDepth('<span/>text<span/>')).toBe(2);
    expect(estimateNestingDepth(`<div>${'</span>'.repeat(50)}<div><div></div></div></div>`)).toBe(3);
    expect(estimateNestingDepth(`${'<div>'.repeat(10)}${'</section></b>'.repeat(10)}<div>`)).toBe(11);
    expect(estimateNestingDepth('<div/>'.repeat(100_000), 801)).toBe(801);
  });

  it('follows the implied end tags of real pages, and SVG and MathML self-closing tags', () => {
    expect(estimateNestingDepth(`<div>${'<p>para'.repeat(2_000)}</div>`)).toBe(2);
    expect(estimateNestingDepth(`<ul>${'<li>item'.repeat(2_000)}</ul>`)).toBe(2);
    expect(estimateNestingDepth(`<table>${'<tr><td>a<td>b'.repeat(1_000)}</table>`)).toBeLessThanOrEqual(4);
    expect(estimateNestingDepth(`<math>${'<mspace/>'.repeat(2_000)}</math>`)).toBe(2);
  });

  it('stops counting once the limit is passed', () => {
    expect(estimateNestingDepth(deeplyNestedPage(10_000), 801)).toBe(801);
  });
});
