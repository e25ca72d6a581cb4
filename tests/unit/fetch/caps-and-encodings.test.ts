import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError } from '../../../src/fetch/fetch-error.js';
import { startFixtureServer, type FixtureServer } from '../../helpers/fixture-server.js';
import { streamBytes, testFetcher } from './fetch-test-kit.js';

const MiB = 1024 * 1024;
let server: FixtureServer;
const fetcher = testFetcher({ allowPrivateNetworks: true, maxBytes: MiB });
const text = 'Sanctions were tightened on Tuesday. '.repeat(2000);
let bigBodyWritten: Promise<number> | undefined;
let neverEndingClosed: Promise<void> | undefined;

async function fetchError(p: Promise<unknown>): Promise<FetchError> {
  const err = await p.then(
    () => new Error('expected the fetch to fail'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FetchError);
  return err as FetchError;
}

beforeAll(async () => {
  server = await startFixtureServer();
  const encoded: Record<string, Buffer> = {
    gzip: gzipSync(text),
    deflate: deflateSync(text),
    'deflate-raw': deflateRawSync(text),
    br: brotliCompressSync(text),
    'gzip-then-br': brotliCompressSync(gzipSync(text)),
  };
  const coding: Record<string, string> = { 'deflate-raw': 'deflate', 'gzip-then-br': 'gzip, br' };
  for (const [name, bytes] of Object.entries(encoded)) {
    server.route(`/encoded/${name}`, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': coding[name] ?? name, 'content-length': bytes.length }).end(bytes);
    });
  }
  server.route('/encoded/unknown', (_req, res) => {
    res.writeHead(200, { 'content-encoding': 'zstd' }).end(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]));
  });
  server.route('/truncated-gzip', (_req, res) => {
    const full = gzipSync(text);
    res.writeHead(200, { 'content-encoding': 'gzip' }).end(full.subarray(0, Math.floor(full.length / 2)));
  });
  server.route('/fifty-mb', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    bigBodyWritten = streamBytes(res, 50 * MiB);
  });
  server.route('/declared-too-large', (_req, res) => {
    res.writeHead(200, { 'content-length': String(20 * MiB) });
    res.write('x');
  });
  // A gzip bomb: 64 gzip members of 1 MiB of zeros each (~1 KiB apiece): 64 MiB once inflated.
  const member = gzipSync(Buffer.alloc(MiB));
  const bomb = Buffer.concat(Array.from({ length: 64 }, () => member));
  server.route('/gzip-bomb', (_req, res) => {
    res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': bomb.length }).end(bomb);
  });
  server.route('/never-ends', (_req, res) => {
    neverEndingClosed = new Promise((resolve) => res.on('close', () => resolve()));
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.write('<rss><channel>');
  });
  server.route('/no-headers', () => {
    // Never answers.
  });
});
afterAll(async () => {
  await fetcher.close();
  await server.close();
});

describe('decompression', () => {
  it.each(['gzip', 'deflate', 'deflate-raw', 'br', 'gzip-then-br'])('decodes %s bodies', async (name) => {
    const res = await fetcher.fetch(`${server.url}/encoded/${name}`);
    expect(res.body.toString()).toBe(text);
    // The returned body is decoded, so the wire's encoding headers no longer describe it.
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['content-length']).toBeUndefined();
  });

  it('returns bytes as sent when the coding is unknown, keeping the header', async () => {
    const res = await fetcher.fetch(`${server.url}/encoded/unknown`);
    expect(res.headers['content-encoding']).toBe('zstd');
    expect([...res.body]).toEqual([0x28, 0xb5, 0x2f, 0xfd]);
  });

  it('keeps what decoded from a truncated gzip body, as browsers do', async () => {
    const res = await fetcher.fetch(`${server.url}/truncated-gzip`);
    expect(res.body.length).toBeGreaterThan(0);
    expect(text.startsWith(res.body.toString())).toBe(true);
  });
});

describe('size cap', () => {
  it('stops a 50 MB streamed body at the cap without reading it all', async () => {
    const err = await fetchError(fetcher.fetch(`${server.url}/fifty-mb`));
    expect(err.code).toBe('too-large');
    expect(err.message).toContain(`${MiB} bytes`);
    // The connection is dropped once the cap is passed; the server could not push 50 MB through.
    expect(await bigBodyWritten).toBeLessThan(50 * MiB);
  });

  it('refuses a declared Content-Length over the cap before reading', async () => {
    expect((await fetchError(fetcher.fetch(`${server.url}/declared-too-large`))).code).toBe('too-large');
  });

  it('stops a gzip bomb at the cap counted after decompression', async () => {
    const err = await fetchError(fetcher.fetch(`${server.url}/gzip-bomb`));
    expect(err.code).toBe('too-large');
    expect(err.message).toContain('after decompression');
  });

  it('honours a per-request cap above the default', async () => {
    const res = await fetcher.fetch(`${server.url}/encoded/gzip`, { maxBytes: text.length });
    expect(res.body.length).toBe(text.length);
    const err = await fetchError(fetcher.fetch(`${server.url}/encoded/gzip`, { maxBytes: text.length - 1 }));
    expect(err.code).toBe('too-large');
  });
});

describe('total timeout', () => {
  it('ends a body that never ends as a timeout and closes the connection', async () => {
    const err = await fetchError(fetcher.fetch(`${server.url}/never-ends`, { timeoutMs: 300 }));
    expect(err.code).toBe('timeout');
    expect(err.message).toContain('300 ms');
    await neverEndingClosed;
  });

  it('ends a server that never answers as a timeout', async () => {
    const err = await fetchError(fetcher.fetch(`${server.url}/no-headers`, { timeoutMs: 300 }));
    expect(err.code).toBe('timeout');
  });

  it("rejects with the caller's own reason when the caller aborts", async () => {
    const controller = new AbortController();
    const reason = new Error('worker shutting down');
    const pending = fetcher.fetch(`${server.url}/never-ends`, { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);
  });
});
