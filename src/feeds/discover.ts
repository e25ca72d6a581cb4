import { decode } from 'html-entities';
import { resolveUrl } from './resolve-url.js';

const FEED_TYPES = /^(application\/(rss|atom|rdf|feed)\+(xml|json)|application\/(rss|atom)|text\/xml|application\/xml|application\/json)$/i;

function attribute(tag: string, name: string): string | null {
  const m = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  const value = m?.[1] ?? m?.[2] ?? m?.[3];
  return value === undefined ? null : decode(value, { level: 'html5' });
}

/**
 * The feeds an HTML page advertises with `<link rel="alternate" type="application/rss+xml" href=…>` (feed
 * autodiscovery), resolved against the page URL. Used to tell a user whose feed URL now serves a page
 * where the feed went.
 */
export function discoverFeedLinks(html: string, pageUrl: string): string[] {
  const head = html.slice(0, 256 * 1024);
  const found: string[] = [];
  for (const m of head.matchAll(/<link\b[^>]*>/gi)) {
    const tag = m[0];
    const rel = (attribute(tag, 'rel') ?? '').toLowerCase().split(/\s+/);
    const type = attribute(tag, 'type') ?? '';
    if (!rel.includes('alternate') || !FEED_TYPES.test(type.trim())) continue;
    const href = resolveUrl(attribute(tag, 'href'), pageUrl);
    if (href && !found.includes(href)) found.push(href);
  }
  return found;
}
