import sanitizeHtml from 'sanitize-html';

/**
 * The tags an article body may keep: text structure, lists, tables, quotes, figures with images, links.
 * Everything else is dropped (its text kept, except for script/style-like tags whose content goes too).
 */
const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code', 'kbd', 'samp', 'var',
  'em', 'strong', 'b', 'i', 'u', 's', 'del', 'ins', 'sub', 'sup', 'small', 'mark', 'q', 'cite', 'abbr', 'dfn', 'time',
  'span', 'div', 'section', 'article', 'header', 'main', 'figure', 'figcaption', 'picture', 'source', 'img', 'a',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td',
];

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  // No event handlers, no style, no id/name (DOM clobbering), no class: only what the article's meaning needs.
  allowedAttributes: {
    '*': ['lang', 'dir', 'title'],
    a: ['href', 'rel'],
    img: ['src', 'srcset', 'sizes', 'alt', 'width', 'height'],
    source: ['srcset', 'sizes', 'media', 'type'],
    blockquote: ['cite'],
    q: ['cite'],
    del: ['cite', 'datetime'],
    ins: ['cite', 'datetime'],
    time: ['datetime'],
    ol: ['start', 'reversed', 'type'],
    td: ['colspan', 'rowspan', 'headers'],
    th: ['colspan', 'rowspan', 'headers', 'scope'],
    col: ['span'],
    colgroup: ['span'],
  },
  // URLs in href, src, cite and every srcset candidate must be http(s) (checked case-insensitively, after
  // entity decoding and with control characters removed, so `JaVaScRiPt:` and `java&#09;script:` go too).
  // Relative URLs stay: they resolve against the article's own http(s) address.
  allowedSchemes: ['http', 'https'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Content of these never becomes text (sanitize-html's default list plus what browsers execute or render raw).
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'template', 'iframe', 'object', 'embed', 'svg', 'math', 'xmp', 'noembed', 'noframes', 'plaintext'],
  // Links open without handing the article's page a reference back to ours.
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }) },
  parser: { lowerCaseTags: true, lowerCaseAttributeNames: true },
};

/**
 * Article HTML made safe to render: an allow-list of tags and attributes, http(s) URLs only (also in
 * `srcset`). Applied by the extract stage before storing and again when the API and JSON Feeds serve
 * HTML, so rows stored before this existed are served clean too. Idempotent.
 */
export function sanitizeArticleHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}

/** {@link sanitizeArticleHtml} for a nullable field. */
export function sanitizeOptionalHtml(html: string | null): string | null {
  return html === null ? null : sanitizeArticleHtml(html);
}

/** A copy of a record whose `html` is sanitised (for everything that serves stored articles). */
export function withSanitizedHtml<T extends { html: string | null }>(record: T): T {
  return record.html === null ? record : { ...record, html: sanitizeArticleHtml(record.html) };
}
