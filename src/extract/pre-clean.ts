/**
 * Removes what never becomes article text before the DOM is built: scripts (except JSON-LD, which holds
 * the metadata), style sheets, inline SVG, comments, templates and noscript blocks. Building fewer nodes
 * is the cheapest speed-up of the stage, and dropping style sheets also avoids jsdom 29's CSS parser,
 * which throws on some real pages.
 */
const STRIP = [
  /<!--[\s\S]*?(?:-->|$)/g,
  /<script\b(?![^>]*\btype\s*=\s*["']?application\/ld\+json)[^>]*>[\s\S]*?(?:<\/script\s*>|$)/gi,
  /<style\b[^>]*>[\s\S]*?(?:<\/style\s*>|$)/gi,
  /<svg\b[^>]*>[\s\S]*?(?:<\/svg\s*>|$)/gi,
  /<noscript\b[^>]*>[\s\S]*?(?:<\/noscript\s*>|$)/gi,
  /<template\b[^>]*>[\s\S]*?(?:<\/template\s*>|$)/gi,
  /<link\b[^>]*\brel\s*=\s*["']?stylesheet[^>]*>/gi,
];

export function preClean(html: string): string {
  let out = html;
  for (const re of STRIP) out = out.replace(re, '');
  return out;
}

/**
 * Deepest element nesting, estimated from the tag stream without building a DOM (void elements and
 * self-closed tags do not nest). Readability and the serialisers recurse, so a hostile page nested tens
 * of thousands deep is refused before parsing.
 */
export function estimateNestingDepth(html: string, stopAt = Infinity): number {
  const VOID = /^(?:area|base|br|col|embed|hr|img|input|link|meta|param|source|track|wbr)$/i;
  const TAG = /<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g;
  let depth = 0;
  let max = 0;
  for (let m = TAG.exec(html); m !== null; m = TAG.exec(html)) {
    const [, closing, name = '', selfClosing] = m;
    if (VOID.test(name) || selfClosing) continue;
    if (closing) depth = Math.max(0, depth - 1);
    else if (++depth > max) {
      max = depth;
      if (max >= stopAt) break;
    }
  }
  return max;
}
