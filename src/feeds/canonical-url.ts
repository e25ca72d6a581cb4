import { createHash } from 'node:crypto';

/**
 * Query parameters that only track a click, never select content: analytics campaigns (utm_*), ad and
 * social click ids, newsletter ids. Exact names, plus the prefixes below.
 */
const TRACKING_PARAMS = new Set([
  'fbclid', 'gclid', 'gclsrc', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'twclid', 'ttclid', 'li_fat_id', 'igshid',
  'mc_cid', 'mc_eid', 'mkt_tok', '_hsenc', '_hsmi', 'hsctatracking', 'oly_anon_id', 'oly_enc_id', 'vero_conv', 'vero_id',
  'wickedid', 'rb_clickid', 's_cid', 'ncid', 'cmpid', 'ocid', 'smid', 'sr_share', 'guccounter', 'guce_referrer',
  'guce_referrer_sig', 'at_medium', 'at_campaign', 'at_custom1', 'at_custom2', 'at_custom3', 'at_custom4', 'ito',
  'ref_src', 'ref_url', 'spm', 'xtor', 'ns_mchannel', 'ns_source', 'ns_campaign', 'ns_linkname', 'ns_fee',
]);
const TRACKING_PREFIXES = ['utm_', 'pk_', 'mtm_', 'hmb_', 'ga_', '_ga', 'matomo_', 'at_'];

function isTracking(name: string): boolean {
  const n = name.toLowerCase();
  return TRACKING_PARAMS.has(n) || TRACKING_PREFIXES.some((p) => n.startsWith(p));
}

/**
 * The canonical form of an article URL, so that the same story reached through two feeds (or with two
 * campaigns' tracking) is one article: scheme and host lower-cased (WHATWG URL does both), default ports
 * and `www.` kept apart (they can be different sites), fragments and tracking parameters removed, the
 * remaining parameters sorted, a trailing `?` dropped. Returns null for anything that is not http(s).
 */
export function canonicalUrl(input: string): string | null {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  url.username = '';
  url.password = '';
  // WHATWG URL already drops :80 for http and :443 for https; a trailing dot in the host is the same host.
  url.hostname = url.hostname.replace(/\.$/, '');
  const kept = [...url.searchParams.entries()].filter(([name]) => !isTracking(name));
  kept.sort(([a, av], [b, bv]) => (a === b ? av.localeCompare(bv) : a < b ? -1 : 1));
  url.search = '';
  for (const [name, value] of kept) url.searchParams.append(name, value);
  if (url.pathname === '') url.pathname = '/';
  return url.toString();
}

/**
 * The article id for a canonical URL: a stable, URL-safe hash (the first 128 bits of SHA-256, hex), the
 * same in every process and release, so job ids, Redis keys and database rows agree.
 */
export function articleIdFor(canonical: string): string {
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

/**
 * The canonical URL of a feed item: its link, else a guid that is a URL; for an item with neither, a
 * `urn:` built from the feed and the guid or title so it still has a stable identity.
 */
export function canonicalUrlForItem(item: { link: string | null; guid: string | null; title: string }, feedId: string): string {
  const fromLink = item.link ? canonicalUrl(item.link) : null;
  if (fromLink) return fromLink;
  const fromGuid = item.guid && /^https?:\/\//i.test(item.guid) ? canonicalUrl(item.guid) : null;
  if (fromGuid) return fromGuid;
  const key = item.guid ?? item.title;
  return `urn:framewatch:${feedId}:${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
}
