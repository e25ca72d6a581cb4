import { FetchError } from './fetch-error.js';

/** Statuses whose Location the fetcher follows (304 is not a redirect). */
export const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Parses a URL the fetcher may request: well-formed, http or https. */
export function parseTarget(url: string, base?: URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(url, base);
  } catch (err) {
    throw new FetchError('bad-url', url, `not a valid URL: ${url}`, { cause: err });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new FetchError('unsupported-scheme', parsed.href, `only http and https URLs are fetched, not ${parsed.protocol.replace(/:$/, '')} (${parsed.href})`);
  }
  return parsed;
}

interface HopRequest {
  method: 'GET' | 'POST' | 'HEAD';
  body: string | Buffer | undefined;
  headers: Record<string, string>;
}

const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];
const CREDENTIAL_HEADERS = ['authorization', 'cookie'];

/**
 * The request for the next hop, as the Fetch standard's "HTTP-redirect fetch" shapes it: 301/302 turn a
 * POST into a GET and 303 turns anything but HEAD into a GET (dropping the body), 307/308 repeat the
 * request as it was; credentials are not carried to another origin.
 */
export function nextHop(current: URL, location: string, status: number, req: HopRequest): HopRequest & { url: URL } {
  const url = parseTarget(location, current);
  let { method, body } = req;
  const headers = { ...req.headers };
  if (((status === 301 || status === 302) && method === 'POST') || (status === 303 && method !== 'HEAD')) {
    method = 'GET';
    body = undefined;
    for (const h of BODY_HEADERS) delete headers[h];
  }
  if (url.origin !== current.origin) for (const h of CREDENTIAL_HEADERS) delete headers[h];
  return { url, method, body, headers };
}
