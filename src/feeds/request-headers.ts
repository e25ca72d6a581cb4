import type { FeedConfig } from '../domain/types.js';
import type { FeedState } from '../domain/feed-state.js';

/** What a feed reader accepts, best first; servers that negotiate pick a feed type over HTML. */
const ACCEPT = 'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5';

/**
 * The request headers for one poll: the feed's own options (extra headers, User-Agent, cookies, basic
 * auth) and, unless this poll is unconditional, the validators from the last response.
 */
export function feedRequestHeaders(feed: FeedConfig, state: Pick<FeedState, 'etag' | 'lastModified'>, conditional: boolean): Record<string, string> {
  const headers: Record<string, string> = { accept: ACCEPT };
  const r = feed.request;
  if (r.userAgent) headers['user-agent'] = r.userAgent;
  if (r.cookies) headers.cookie = r.cookies;
  if (r.basicAuth) headers.authorization = `Basic ${Buffer.from(`${r.basicAuth.username}:${r.basicAuth.password}`).toString('base64')}`;
  for (const [name, value] of Object.entries(r.headers ?? {})) headers[name.toLowerCase()] = value;
  if (conditional) {
    if (state.etag) headers['if-none-match'] = state.etag;
    if (state.lastModified) headers['if-modified-since'] = state.lastModified;
  }
  return headers;
}
