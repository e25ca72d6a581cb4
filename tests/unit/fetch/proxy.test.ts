import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FetchError } from '../../../src/fetch/fetch-error.js';
import { matchesNoProxy, proxyFor } from '../../../src/fetch/proxy-config.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { fakeDns, onlyFixtureServer, testFetcher } from './fetch-test-kit.js';

/**
 * A forward proxy on loopback that answers absolute-URI requests itself (there is no internet to forward
 * to) and refuses CONNECT, recording what it was asked.
 */
interface TestProxy {
  url: string;
  seen: { method: string; target: string; proxyAuth?: string }[];
  close(): Promise<void>;
}
async function startTestProxy(): Promise<TestProxy> {
  const seen: TestProxy['seen'] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', target: req.url ?? '', proxyAuth: req.headers['proxy-authorization'] });
    if (req.url?.endsWith('/moved')) {
      res.writeHead(302, { location: 'http://internal.test/secret' }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`proxied ${req.url}`);
  });
  server.on('connect', (req, socket) => {
    seen.push({ method: 'CONNECT', target: req.url ?? '' });
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let proxy: TestProxy;
let origin: FixtureServer;
const dns = fakeDns({ 'news.test': ['93.184.216.34'], 'internal.test': ['10.0.0.7'], 'direct.test': ['127.0.0.1'] });
const fetchers: { close(): Promise<void> }[] = [];
function fetcher(...args: Parameters<typeof testFetcher>) {
  const f = testFetcher(...args);
  fetchers.push(f);
  return f;
}

beforeAll(async () => {
  proxy = await startTestProxy();
  origin = await startFixtureServer();
  origin.route('/direct', (_req, res) => {
    res.writeHead(200).end('direct');
  });
});
afterEach(() => {
  proxy.seen.length = 0;
  origin.requests.length = 0;
});
afterAll(async () => {
  await Promise.all(fetchers.map((f) => f.close()));
  await proxy.close();
  await origin.close();
});

async function fetchError(p: Promise<unknown>): Promise<FetchError> {
  const err = await p.then(
    () => new Error('expected the fetch to fail'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FetchError);
  return err as FetchError;
}

describe('HTTP_PROXY / HTTPS_PROXY / NO_PROXY', () => {
  it('sends http requests through a proxy that sits on a private network', async () => {
    // Default policy: loopback is refused as a target, but the proxy itself may be loopback.
    const f = fetcher({ resolve: dns, proxy: { http: proxy.url } });
    const res = await f.fetch('http://news.test/feed.xml');
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('proxied http://news.test/feed.xml');
    expect(proxy.seen).toEqual([{ method: 'GET', target: 'http://news.test/feed.xml', proxyAuth: undefined }]);
  });

  it('refuses a target name that resolves to a private address before sending it to the proxy', async () => {
    const err = await fetchError(fetcher({ resolve: dns, proxy: { http: proxy.url } }).fetch('http://internal.test/admin'));
    expect(err.code).toBe('blocked-address');
    expect(err.message).toContain('refused 10.0.0.7 (private) for host internal.test');
    expect(proxy.seen).toEqual([]);
  });

  it('refuses a private IP literal target before sending it to the proxy', async () => {
    const err = await fetchError(fetcher({ resolve: dns, proxy: { http: proxy.url, https: proxy.url } }).fetch('https://169.254.169.254/'));
    expect(err.code).toBe('blocked-address');
    expect(proxy.seen).toEqual([]);
  });

  it('checks the target of a redirect answered through the proxy', async () => {
    const err = await fetchError(fetcher({ resolve: dns, proxy: { http: proxy.url } }).fetch('http://news.test/moved'));
    expect(err.code).toBe('blocked-address');
    expect(err.url).toBe('http://internal.test/secret');
    expect(proxy.seen.map((s) => s.target)).toEqual(['http://news.test/moved']);
  });

  it('tunnels https targets with CONNECT and reports a refused tunnel as a network error', async () => {
    const err = await fetchError(fetcher({ resolve: dns, proxy: { https: proxy.url } }).fetch('https://news.test/feed.xml'));
    expect(err.code).toBe('network');
    expect(proxy.seen).toEqual([{ method: 'CONNECT', target: 'news.test:443' }]);
  });

  it('goes direct for hosts listed in NO_PROXY', async () => {
    const port = new URL(origin.url).port;
    const f = fetcher({ resolve: dns, addressPolicy: onlyFixtureServer, proxy: { http: proxy.url, noProxy: 'localhost, .direct.test' } });
    const res = await f.fetch(`http://direct.test:${port}/direct`);
    expect(res.body.toString()).toBe('direct');
    expect(proxy.seen).toEqual([]);
    expect(origin.requests).toHaveLength(1);
  });

  it('gives up on a target name that never resolves within the timeout', async () => {
    const hang = () => new Promise<never>(() => undefined);
    const err = await fetchError(fetcher({ resolve: hang, proxy: { http: proxy.url } }).fetch('http://stuck.test/', { timeoutMs: 200 }));
    expect(err.code).toBe('timeout');
    expect(proxy.seen).toEqual([]);
  });

  it('uses a per-request proxy (a feed option) and sends the credentials in its URL', async () => {
    const withAuth = proxy.url.replace('http://', 'http://feeduser:s3cret@');
    const res = await fetcher({ resolve: dns }).fetch('http://news.test/only-via-proxy', { proxy: withAuth });
    expect(res.body.toString()).toBe('proxied http://news.test/only-via-proxy');
    expect(proxy.seen[0]?.proxyAuth).toBe(`Basic ${Buffer.from('feeduser:s3cret').toString('base64')}`);
  });
});

describe('proxyFor / matchesNoProxy', () => {
  const settings = { http: 'http://proxy:3128', https: 'http://proxy:3129', noProxy: 'example.org,10.1.2.3,[::1],intranet:8080' };

  it('picks the proxy by scheme', () => {
    expect(proxyFor(new URL('http://a.test/'), settings, undefined)).toBe('http://proxy:3128');
    expect(proxyFor(new URL('https://a.test/'), settings, undefined)).toBe('http://proxy:3129');
    expect(proxyFor(new URL('https://a.test/'), { http: 'http://proxy:3128' }, undefined)).toBeNull();
    expect(proxyFor(new URL('https://a.test/'), undefined, 'http://feed-proxy:1')).toBe('http://feed-proxy:1');
  });

  it.each([
    ['http://example.org/', true],
    ['http://news.example.org/', true],
    ['http://notexample.org/', false],
    ['http://10.1.2.3/', true],
    ['http://10.1.2.4/', false],
    ['http://[::1]/', true],
    ['http://intranet:8080/', true],
    ['http://intranet/', false],
  ])('NO_PROXY matching for %s is %s', (url, expected) => {
    expect(matchesNoProxy(new URL(url), settings.noProxy)).toBe(expected);
  });

  it('treats * as every host', () => {
    expect(matchesNoProxy(new URL('https://anything.test/'), '*')).toBe(true);
  });
});
