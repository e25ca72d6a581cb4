import { ipLiteralOf } from './address-policy.js';

/** Proxies for all requests, as the standard HTTP_PROXY / HTTPS_PROXY / NO_PROXY variables give them. */
export interface ProxySettings {
  http?: string;
  https?: string;
  noProxy?: string;
}

/**
 * The proxy URL a request to `url` should go through, or null for a direct connection. A per-request
 * proxy (a feed's own) wins; otherwise the scheme's proxy applies unless NO_PROXY lists the host.
 */
export function proxyFor(url: URL, settings: ProxySettings | undefined, perRequest: string | undefined): string | null {
  if (perRequest) return perRequest;
  if (!settings) return null;
  const proxy = url.protocol === 'https:' ? settings.https : settings.http;
  if (!proxy) return null;
  return settings.noProxy && matchesNoProxy(url, settings.noProxy) ? null : proxy;
}

/**
 * NO_PROXY as curl and most tools read it: comma- or space-separated entries; `*` matches everything; a
 * name matches itself and its subdomains (a leading `.` or `*.` is optional); an entry may carry a
 * `:port`; IP addresses match exactly.
 */
export function matchesNoProxy(url: URL, noProxy: string): boolean {
  const host = (ipLiteralOf(url.hostname) ?? url.hostname).toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy
    .split(/[\s,]+/)
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '')
    .some((entry) => {
      if (entry === '*') return true;
      const { name, port: entryPort } = splitEntry(entry);
      if (entryPort && entryPort !== port) return false;
      const bare = name.replace(/^\*?\./, '');
      return host === bare || host.endsWith(`.${bare}`);
    });
}

function splitEntry(entry: string): { name: string; port?: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1] ?? '', port: bracketed[2] };
  // More than one colon: a bare IPv6 address, no port.
  if (entry.indexOf(':') !== entry.lastIndexOf(':')) return { name: entry };
  const [name = '', port] = entry.split(':');
  return { name, port };
}
