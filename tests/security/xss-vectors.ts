import { JSDOM } from 'jsdom';

/**
 * XSS vectors in the style of the OWASP XSS Filter Evasion Cheat Sheet: the 19 of issue 15's probe (event
 * handlers, mixed-case and encoded `javascript:`, `data:` links, `srcset`) and more of the classic list
 * (entity and control-character tricks, foreign content, mutation XSS, CSS, legacy URL attributes).
 */
export const XSS_VECTORS: { name: string; html: string }[] = [
  { name: 'img onerror', html: '<img src="x" onerror="alert(1)">' },
  { name: 'onclick on a paragraph', html: '<p onclick="alert(1)">click here for the full statement</p>' },
  { name: 'onmouseover on a span', html: '<span onmouseover="alert(1)">hover here</span>' },
  { name: 'details ontoggle', html: '<details open ontoggle="alert(1)"><summary>More</summary>hidden detail</details>' },
  { name: 'mixed-case javascript: href', html: '<a href="JaVaScRiPt:alert(1)">mixed case link</a>' },
  { name: 'javascript: href', html: '<a href="javascript:alert(1)">plain link</a>' },
  { name: 'data: text/html link', html: '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>' },
  { name: 'data: svg link', html: '<a href="data:image/svg+xml,<svg onload=alert(1)>">svg data link</a>' },
  { name: 'srcset javascript:', html: '<img src="https://img.example/a.jpg" srcset="javascript:alert(1) 1x">' },
  { name: 'srcset with a second bad candidate', html: '<img srcset="https://img.example/a.jpg 1x, javascript:alert(1) 2x">' },
  { name: 'img src javascript:', html: '<img src="javascript:alert(1)">' },
  { name: 'tab inside javascript:', html: '<a href="java&#x09;script:alert(1)">tab link</a>' },
  { name: 'newline inside javascript:', html: '<a href="jav&#x0A;ascript:alert(1)">newline link</a>' },
  { name: 'decimal entities javascript:', html: '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">entity link</a>' },
  { name: 'named entity colon', html: '<a href="javascript&colon;alert(1)">colon entity link</a>' },
  { name: 'leading space and control char', html: '<a href=" &#1;javascript:alert(1)">control link</a>' },
  { name: 'vbscript:', html: '<a href="vbscript:msgbox(1)">vbscript link</a>' },
  { name: 'file: link', html: '<a href="file:///etc/passwd">file link</a>' },
  { name: 'svg onload', html: '<svg onload="alert(1)"><circle r="1"></circle></svg>' },
  { name: 'iframe javascript:', html: '<iframe src="javascript:alert(1)"></iframe>' },
  { name: 'object data', html: '<object data="javascript:alert(1)"></object>' },
  { name: 'embed src', html: '<embed src="javascript:alert(1)">' },
  { name: 'form action and formaction', html: '<form action="javascript:alert(1)"><input type="submit" formaction="javascript:alert(1)" value="go"></form>' },
  { name: 'input autofocus onfocus', html: '<input onfocus="alert(1)" autofocus>' },
  { name: 'video source onerror', html: '<video><source onerror="alert(1)"></video>' },
  { name: 'script tag', html: '<script>alert(1)</script>' },
  { name: 'uppercase SCRIPT after broken attribute', html: '<IMG """><SCRIPT>alert(1)</SCRIPT>">' },
  { name: 'img onerror eval(src)', html: '<img src=x:alert(alt) onerror=eval(src) alt=0>' },
  { name: 'style attribute url()', html: '<p style="background:url(javascript:alert(1))">styled</p>' },
  { name: 'style attribute expression()', html: '<div style="width: expression(alert(1))">old IE</div>' },
  { name: 'style element', html: '<style>@import "javascript:alert(1)";</style>' },
  { name: 'base href', html: '<base href="javascript:alert(1)//">' },
  { name: 'meta refresh', html: '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">' },
  { name: 'link import', html: '<link rel="import" href="data:text/html,<script>alert(1)</script>">' },
  { name: 'table background', html: '<table background="javascript:alert(1)"><tr><td>cell</td></tr></table>' },
  { name: 'blockquote cite javascript:', html: '<blockquote cite="javascript:alert(1)">quoted words</blockquote>' },
  { name: 'marquee onstart', html: '<marquee onstart="alert(1)">moving</marquee>' },
  { name: 'math mutation', html: '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>' },
  { name: 'noscript mutation', html: '<noscript><p title="</noscript><img src=x onerror=alert(1)>">' },
  { name: 'anchor onfocus with a good href', html: '<a href="https://ok.example/" onfocus="alert(1)" autofocus>focus link</a>' },
  { name: 'xlink:href in svg', html: '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">svg link</text></a></svg>' },
  { name: 'protocol-relative src', html: '<img src="//evil.example/x.js">' },
];

const URL_ATTRIBUTES = new Set(['href', 'src', 'cite', 'action', 'formaction', 'data', 'background', 'poster', 'dynsrc', 'lowsrc', 'xlink:href', 'codebase', 'longdesc', 'ping']);
const FORBIDDEN_ELEMENTS = new Set(['script', 'style', 'iframe', 'frame', 'object', 'embed', 'svg', 'math', 'form', 'input', 'button', 'base', 'meta', 'link', 'template', 'noscript', 'textarea', 'select']);

/**
 * What in `html` a browser could execute or that reaches outside http(s), as a browser parses it (jsdom,
 * parse5): forbidden elements, event handler and style attributes, URLs (also each `srcset` candidate)
 * that are not http(s) or relative. Empty when the HTML is safe to render.
 */
export function executableParts(html: string): string[] {
  const { document } = new JSDOM(`<!doctype html><body>${html}</body>`, { url: 'https://reader.example/item' }).window;
  const found: string[] = [];
  for (const el of document.body.querySelectorAll('*')) {
    const tag = el.localName;
    if (FORBIDDEN_ELEMENTS.has(tag)) found.push(`<${tag}>`);
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on') || name === 'style') found.push(`${tag}[${name}]`);
      const urls = name === 'srcset' ? attr.value.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '') : URL_ATTRIBUTES.has(name) ? [attr.value] : [];
      for (const url of urls) {
        let protocol: string;
        try {
          protocol = new URL(url, 'https://reader.example/item').protocol;
        } catch {
          continue;
        }
        if (protocol !== 'http:' && protocol !== 'https:') found.push(`${tag}[${name}=${url}]`);
        if (/^\s*\/\//.test(url)) found.push(`${tag}[${name}] protocol-relative`);
      }
    }
  }
  return found;
}
