import { parseHTML } from 'linkedom';
import { blockText } from './block-text.js';
import { preClean } from './pre-clean.js';

/** Plain text of a feed's HTML content (paragraphs kept), for the fallback when the page is unusable. */
export function feedHtmlToText(html: string): string {
  const { document } = parseHTML(`<!doctype html><html><body>${preClean(html)}</body></html>`);
  const body = (document as unknown as Document).body;
  return body ? blockText(body) : '';
}
