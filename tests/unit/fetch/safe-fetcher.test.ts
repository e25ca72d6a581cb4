import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FetchError } from '../../../src/fetch/fetch-error.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { fakeDns, onlyFixtureServer, testFetcher, UA } from './fetch-test-kit.js';

let server: FixtureServer;
let port: string;
const fetchers: { close(): Promise<void> }[] = [];
function fetcher(...args: Parameters<typeof testFetcher>) {
  const f = testFetcher(...args);
  fetchers.push(f);
  return f;
}

beforeAll(async () => {
  server = await startFixtureServer();
  port = new URL(server.url).port;
  server.route('/ok', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'x-one': 'a' }).end('hello');
  });
  server.route('/missing', (_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('no such page');
  });
});
afterEach(() => {
  server.requests.length = 0;
});
afterAll(async () => {
  await Promise.all(fetchers.map((f) => f.close()));
  await server.close();
});

async function fetchError(p: Promise<unknown>): Promise<FetchError> {
  const err = await p.then(
    () => {
      throw new Error('expected the fetch to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FetchError);
  return err as FetchError;
}

describe('refusing private addresses by default', () => {
  it.each([
    ['127.0.0.1', () => `http://127.0.0.1:${port}/ok`, 'loopback'],
    ['127.1', () => `http://127.1:${port}/ok`, 'loopback'],
    ['0x7f.1', () => `http://0x7f.1:${port}/ok`, 'loopback'],
    ['2130706433', () => `http://2130706433:${port}/ok`, 'loopback'],
    ['[::1]', () => `http://[::1]:${port}/ok`, 'loopback'],
    ['[::ffff:127.0.0.1]', () => `http://[::ffff:127.0.0.1]:${port}/ok`, 'ipv4Mapped:loopback'],
    ['10.x', () => 'http://10.1.2.3/', 'private'],
    ['169.254.169.254 (cloud metadata)', () => 'http://169.254.169.254/latest/meta-data/', 'linkLocal'],
    ['0.0.0.0', () => `http://0.0.0.0:${port}/ok`, 'unspecified'],
  ])('refuses %s', async (_name, url, range) => {
    const err = await fetchError(fetcher().fetch(url()));
    expect(err.code).toBe('blocked-address');
    expect(err.message).toContain(`(${range})`);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a name that resolves to loopback (localhost), after DNS', async () => {
    const err = await fetchError(fetcher().fetch(`http://localhost:${port}/ok`));
    expect(err.code).toBe('blocked-address');
    expect(err.message).toMatch(/refused (127\.0\.0\.1|::1) \(loopback\) for host localhost/);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a name when any of its addresses is private (rebinding shape)', async () => {
    const dns = fakeDns({ 'mixed.test': ['93.184.216.34', '127.0.0.1'] });
    const err = await fetchError(fetcher({ resolve: dns }).fetch(`http://mixed.test:${port}/ok`));
    expect(err.code).toBe('blocked-address');
    expect(dns.asked).toContain('mixed.test');
  });

  it('reaches loopback when private networks are allowed', async () => {
    const res = await fetcher({ allowPrivateNetworks: true }).fetch(`http://localhost:${port}/ok`);
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('hello');
  });
});

describe('following redirects, checking every hop', () => {
  beforeAll(() => {
    server.route('/to-private', (_req, res) => {
      res.writeHead(302, { location: 'http://10.0.0.1/admin' }).end();
    });
    server.route('/to-internal-name', (_req, res) => {
      res.writeHead(301, { location: `http://internal.test:${port}/ok` }).end();
    });
    server.route('/to-public-name', (_req, res) => {
      res.writeHead(302, { location: `http://public.test:${port}/ok` }).end();
    });
    server.route('/relative', (_req, res) => {
      res.writeHead(302, { location: '../ok?x=1' }).end();
    });
    server.route('/to-ftp', (_req, res) => {
      res.writeHead(302, { location: 'ftp://example.com/file' }).end();
    });
    server.route('/post-303', (_req, res) => {
      res.writeHead(303, { location: '/echo' }).end();
    });
    server.route('/post-307', (_req, res) => {
      res.writeHead(307, { location: '/echo' }).end();
    });
    server.route('/echo', (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method }));
    });
    for (let i = 0; i < 10; i++) {
      server.route(`/loop/${i}`, (_req, res) => {
        res.writeHead(302, { location: `/loop/${i + 1}` }).end();
      });
    }
  });
  const dns = fakeDns({ 'public.test': ['127.0.0.1'], 'internal.test': ['127.0.0.2'] });
  const guarded = () => fetcher({ addressPolicy: onlyFixtureServer, resolve: dns });

  it('refuses a redirect to a private IP literal without connecting to it', async () => {
    const err = await fetchError(guarded().fetch(`${server.url}/to-private`));
    expect(err.code).toBe('blocked-address');
    expect(err.url).toBe('http://10.0.0.1/admin');
    expect(server.requests.map((r) => r.path)).toEqual(['/to-private']);
  });

  it('refuses a redirect to a name that resolves to a refused address', async () => {
    const err = await fetchError(guarded().fetch(`${server.url}/to-internal-name`));
    expect(err.code).toBe('blocked-address');
    expect(err.message).toContain('refused 127.0.0.2 (test-refused) for host internal.test');
    expect(server.requests.map((r) => r.path)).toEqual(['/to-internal-name']);
  });

  it('follows a redirect to a name that resolves to an allowed address', async () => {
    const res = await guarded().fetch(`${server.url}/to-public-name`);
    expect(res.status).toBe(200);
    expect(res.finalUrl).toBe(`http://public.test:${port}/ok`);
    expect(res.redirects).toEqual([`http://public.test:${port}/ok`]);
    expect(server.requests[1]?.headers.host).toBe(`public.test:${port}`);
  });

  it('resolves a relative Location against the current URL', async () => {
    const res = await guarded().fetch(`${server.url}/relative`);
    expect(res.finalUrl).toBe(`${server.url}/ok?x=1`);
    expect(res.body.toString()).toBe('hello');
  });

  it('returns the 3xx itself when maxRedirects is 0 (webhooks)', async () => {
    const res = await guarded().fetch(`${server.url}/to-public-name`, { maxRedirects: 0 });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`http://public.test:${port}/ok`);
    expect(res.redirects).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('stops a chain longer than the cap', async () => {
    const err = await fetchError(guarded().fetch(`${server.url}/loop/0`, { maxRedirects: 3 }));
    expect(err.code).toBe('too-many-redirects');
    // The original request plus three followed hops; the fourth Location is not requested.
    expect(server.requests.map((r) => r.path)).toEqual(['/loop/0', '/loop/1', '/loop/2', '/loop/3']);
  });

  it('follows at most the configured default of redirects', async () => {
    const res = await guarded().fetch(`${server.url}/loop/5`);
    // 5 → 6 → … → 10 is five redirects; /loop/10 has no route and answers 404.
    expect(res.status).toBe(404);
    expect(res.redirects).toHaveLength(5);
  });

  it('refuses a redirect to a scheme other than http(s)', async () => {
    const err = await fetchError(guarded().fetch(`${server.url}/to-ftp`));
    expect(err.code).toBe('unsupported-scheme');
  });

  it('turns a POST into a GET on 303 and keeps it on 307', async () => {
    const f = guarded();
    const after303 = await f.fetch(`${server.url}/post-303`, { method: 'POST', body: 'payload', headers: { 'content-type': 'text/plain' } });
    expect(JSON.parse(after303.body.toString())).toEqual({ method: 'GET' });
    const after307 = await f.fetch(`${server.url}/post-307`, { method: 'POST', body: 'payload', headers: { 'content-type': 'text/plain' } });
    expect(JSON.parse(after307.body.toString())).toEqual({ method: 'POST' });
    expect(server.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['POST', '/post-303', 'payload'],
      ['GET', '/echo', ''],
      ['POST', '/post-307', 'payload'],
      ['POST', '/echo', 'payload'],
    ]);
  });

  it('does not carry credentials to another origin', async () => {
    await guarded().fetch(`${server.url}/to-public-name`, { headers: { Authorization: 'Basic c2VjcmV0', Cookie: 'session=1' } });
    expect(server.requests[0]?.headers.authorization).toBe('Basic c2VjcmV0');
    expect(server.requests[0]?.headers.cookie).toBe('session=1');
    expect(server.requests[1]?.headers.authorization).toBeUndefined();
    expect(server.requests[1]?.headers.cookie).toBeUndefined();
  });
});

describe('requests and responses', () => {
  const open = () => fetcher({ allowPrivateNetworks: true });

  it('sends the configured User-Agent and returns status, headers and body', async () => {
    const res = await open().fetch(`${server.url}/ok`);
    expect(server.requests[0]?.headers['user-agent']).toBe(UA);
    expect(server.requests[0]?.headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(res).toMatchObject({ requestedUrl: `${server.url}/ok`, finalUrl: `${server.url}/ok`, status: 200, redirects: [] });
    expect(res.headers['x-one']).toBe('a');
    expect(res.body.toString()).toBe('hello');
    expect(res.durationMs).toBeGreaterThan(0);
  });

  it('joins repeated response headers into one lower-cased entry', async () => {
    server.route('/repeated', (_req, res) => {
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.setHeader('X-Feed-Hint', 'one');
      res.writeHead(200).end();
    });
    const res = await open().fetch(`${server.url}/repeated`);
    expect(res.headers['set-cookie']).toBe('a=1, b=2');
    expect(res.headers['x-feed-hint']).toBe('one');
  });

  it('lets a caller header override the default User-Agent', async () => {
    await open().fetch(`${server.url}/ok`, { headers: { 'User-Agent': 'feed-specific/2' } });
    expect(server.requests[0]?.headers['user-agent']).toBe('feed-specific/2');
  });

  it('returns a non-2xx status as a response, body included', async () => {
    const res = await open().fetch(`${server.url}/missing`);
    expect(res.status).toBe(404);
    expect(res.body.toString()).toBe('no such page');
  });

  it('sends a POST body and returns an empty body for HEAD', async () => {
    await open().fetch(`${server.url}/echo`, { method: 'POST', body: Buffer.from('{"a":1}'), headers: { 'content-type': 'application/json' } });
    expect(server.requests[0]).toMatchObject({ method: 'POST', body: '{"a":1}' });
    const head = await open().fetch(`${server.url}/ok`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it('rejects malformed URLs and other schemes before any I/O', async () => {
    expect((await fetchError(open().fetch('not a url'))).code).toBe('bad-url');
    expect((await fetchError(open().fetch('file:///etc/passwd'))).code).toBe('unsupported-scheme');
    expect((await fetchError(open().fetch('javascript:alert(1)'))).code).toBe('unsupported-scheme');
  });

  it('sends user:pass@ from the URL as Basic auth unless an Authorization header is given', async () => {
    const url = `${server.url.replace('http://', 'http://feed%40user:p%3Ass@')}/ok`;
    await open().fetch(url);
    await open().fetch(url, { headers: { authorization: 'Bearer t' } });
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      `Basic ${Buffer.from('feed@user:p:ss').toString('base64')}`,
      'Bearer t',
    ]);
  });

  it('guards TLS connections with the same DNS check', async () => {
    const err = await fetchError(fetcher().fetch(`https://localhost:${port}/ok`));
    expect(err.code).toBe('blocked-address');
    expect(err.url).toBe(`https://localhost:${port}/ok`);
  });

  it('reports an unresolvable name as a dns error', async () => {
    const err = await fetchError(fetcher({ resolve: fakeDns({}) }).fetch('http://nowhere.test/feed'));
    expect(err.code).toBe('dns');
    expect(err.message).toContain('nowhere.test');
  });

  it('reports a refused connection as a network error', async () => {
    const closed = await startFixtureServer();
    const url = `${closed.url}/gone`;
    await closed.close();
    const err = await fetchError(open().fetch(url));
    expect(err.code).toBe('network');
    expect(err.message).toContain('ECONNREFUSED');
  });
});
