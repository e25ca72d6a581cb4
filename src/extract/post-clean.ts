/**
 * Removes boilerplate Readability keeps inside the article content: captions and credits, share and
 * newsletter prompts, "read more" / "related" lines, author boxes, date lines and link lists. Every
 * rule was kept only if it raised precision on the extraction benchmark without costing recall.
 */

/** The rules, named so the benchmark can measure each one (see bench/extract.ts --without). */
export type PostCleanRule = 'tags' | 'attributes' | 'phrases' | 'datelines' | 'link-blocks' | 'credits' | 'edges' | 'repeats';

export const POST_CLEAN_RULES: readonly PostCleanRule[] = ['tags', 'attributes', 'phrases', 'datelines', 'link-blocks', 'credits', 'edges', 'repeats'];

const BOILERPLATE_TAGS = 'figure, figcaption, aside, nav, footer, button, select, label, dialog, [role="navigation"], [role="complementary"], [aria-hidden="true"]';

// class/id substrings of boilerplate containers (measured on the benchmark; generic CMS vocabulary).
const BOILERPLATE_ATTR =
  /caption|credit|byline|author-?(?:bio|box|info|card)|about-?(?:the-?)?author|newsletter|subscri|share|social|sharing|related|recommend|promo|advert|sponsor|comment|breadcrumb|trending|popular|outbrain|taboola|dateline|timestamp|(?:^|[-_ ])tags?(?:$|[-_ ])|gallery|slideshow|signup|sign-up|read-?more|more-?stories|disclaimer/i;

// Start of a short block that is a prompt, a pointer elsewhere or a media credit, never article prose.
const BOILERPLATE_PHRASE =
  /^(?:read more|read next|related(?: post| posts| stories| articles| news| coverage| content)?\s*:?|see also|see more|more\s*:|also\s*:|also on\b|recommended|you (?:may|might) also like|sign up|subscribe\b|click here|advertisement|advert$|follow us|share (?:this|on)|like this (?:story|article)|continue reading|tell us what|comments?$|image copyright|image caption|media caption|media playback|photo\s*:|image\s*:|credit\s*:|\(image:|©|getty images?$|enlarge image|view author archive|email the author|follow on twitter|skip to content|this slideshow requires javascript)/i;

// Reporting credits and sign-offs that close wire and newspaper stories.
const CREDIT =
  /^(?:\(?reporting by\b|additional reporting\b|editing by\b|writing by\b|compiled by\b|source\s*:|sources?\s*:\s*news agencies|copyright\b|all rights reserved|have a (?:news )?tip\b|trending$|about the author|follow (?:\S+ ){0,4}on (?:twitter|instagram|facebook)|.{0,200}\bcontributed (?:reporting|to this (?:report|story))\b)/i;

const DATELINE = /^(?:by\b|published\b|updated\b|posted\b|last updated\b|first published\b|publicado\b|atualizado\b)/i;
const MONTH = /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b/i;

// Blocks of at most this many words can be a prompt or a dateline; longer blocks are prose.
const SHORT_BLOCK_WORDS = 40;
// A removal that would take more than this share of the content is a wrapper, not boilerplate.
const MAX_REMOVED_SHARE = 0.3;

const LEAF_BLOCKS = 'p, li, h1, h2, h3, h4, h5, h6, div, section, blockquote, dd, dt';

/** What post-cleaning knows about the page besides its content. */
export interface PostCleanContext {
  pageUrl: string;
  /** The article's title: a block repeating it inside the content is the headline again. */
  title?: string | null;
  disabled?: ReadonlySet<PostCleanRule>;
}

export function postClean(content: Element, context: PostCleanContext): void {
  const { pageUrl } = context;
  const title = context.title ?? null;
  const disabled = context.disabled ?? new Set<PostCleanRule>();
  const site = siteOf(pageUrl);
  const total = textLength(content);
  if (total === 0) return;
  const removable = (el: Element): boolean => textLength(el) <= total * MAX_REMOVED_SHARE;

  if (!disabled.has('tags')) {
    for (const el of [...content.querySelectorAll(BOILERPLATE_TAGS)]) if (removable(el)) el.remove();
  }
  if (!disabled.has('attributes')) {
    for (const el of [...content.querySelectorAll('[class], [id]')]) {
      if (!el.isConnected && !content.contains(el)) continue;
      const names = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
      if (BOILERPLATE_ATTR.test(names) && removable(el)) el.remove();
    }
  }
  for (const el of [...content.querySelectorAll(LEAF_BLOCKS)]) {
    if (!content.contains(el) || hasBlockChild(el)) continue;
    // Leading separators ("| UPDATED: ...") hide a dateline or prompt from the anchored patterns.
    const text = normalise(el.textContent ?? '').replace(/^[|/•·–—\-:\s]+/, '');
    if (!text) continue;
    const words = text.split(' ').length;
    if (words > SHORT_BLOCK_WORDS) continue;
    if (words > 25 && !CREDIT.test(text)) continue;
    if (!disabled.has('phrases') && BOILERPLATE_PHRASE.test(text)) el.remove();
    else if (!disabled.has('credits') && words <= 40 && CREDIT.test(text)) el.remove();
    else if (!disabled.has('repeats') && words <= 25 && (text === pageUrl || (title && sameWords(text, title)))) el.remove();
    else if (!disabled.has('datelines') && words <= 15 && (DATELINE.test(text) || isMostlyDate(text))) el.remove();
    else if (!disabled.has('link-blocks') && words <= 20 && internalLinkShare(el, text, site, pageUrl) > 0.6) el.remove();
  }
  const blocks = leafBlocks(content);
  // Removing a leading block that repeats og:description was measured and rejected: publishers often
  // use the first paragraph itself as the description (recall fell from 0.987 to 0.974).
  if (!disabled.has('edges')) {
    // A few words without sentence punctuation at either end of the content are a kicker, a source
    // name or a section label, not the article's first or last sentence.
    const isStub = (t: string): boolean => t.length <= 32 && t.split(' ').length <= 4 && !/[.!?…:"”»)\]。！？」]$/.test(t);
    for (let n = 0; n < 2 && blocks.length > 2 && isStub(blocks[0]?.text ?? ''); n++) blocks.shift()?.el.remove();
    for (let n = 0; n < 2 && blocks.length > 2 && isStub(blocks.at(-1)?.text ?? ''); n++) blocks.pop()?.el.remove();
  }
}

/** Text blocks in document order (leaf blocks only), for the edge rules. */
function leafBlocks(content: Element): { el: Element; text: string }[] {
  const out: { el: Element; text: string }[] = [];
  for (const el of content.querySelectorAll(LEAF_BLOCKS)) {
    if (hasBlockChild(el)) continue;
    const text = normalise(el.textContent ?? '');
    if (text) out.push({ el, text });
  }
  return out;
}

function sameWords(a: string, b: string): boolean {
  const words = (s: string): string => (s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(' ');
  const x = words(a);
  return x.length > 0 && x === words(b);
}

function hasBlockChild(el: Element): boolean {
  for (const child of el.children) if (/^(?:P|DIV|LI|UL|OL|H[1-6]|SECTION|BLOCKQUOTE|TABLE|FIGURE)$/.test(child.tagName.toUpperCase())) return true;
  return false;
}

function isMostlyDate(text: string): boolean {
  const m = text.match(MONTH);
  if (!m) return false;
  const rest = text
    .replace(MONTH, '')
    .replace(/\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?/gi, '')
    .replace(/\b\d{1,4}\b|[,:|./\-–]|\b(?:am|pm|a\.m\.|p\.m\.|est|edt|pst|pdt|gmt|utc|cet|bst|at|on|mon|tue|wed|thu|fri|sat|sun)[a-z]*\b/gi, '');
  return rest.trim().length <= 3;
}

/**
 * Share of a block's text inside links to the page's own site. Related-story lists link within the
 * site; a short line linking elsewhere (a source, a shop) is usually part of the article.
 */
function internalLinkShare(el: Element, text: string, site: string | null, pageUrl: string): number {
  if (!site) return 0;
  let linked = 0;
  for (const a of el.querySelectorAll('a')) {
    if (siteOf(a.getAttribute('href') ?? '', pageUrl) === site) linked += normalise(a.textContent ?? '').length;
  }
  return text.length === 0 ? 0 : linked / text.length;
}

/** Registrable-domain approximation: the last two host labels, three under a two-letter ccTLD's `co.`/`com.`. */
function siteOf(url: string, base?: string): string | null {
  let host: string;
  try {
    host = new URL(url, base).hostname.toLowerCase();
  } catch {
    return null;
  }
  const labels = host.split('.');
  const tail = labels.at(-1) ?? '';
  const second = labels.at(-2) ?? '';
  const keep = tail.length === 2 && second.length <= 3 && labels.length > 2 ? 3 : 2;
  return labels.slice(-keep).join('.');
}

function textLength(el: Element): number {
  return normalise(el.textContent ?? '').length;
}

function normalise(s: string): string {
  return s.replace(/[\s\u00a0]+/g, ' ').trim();
}
