import type { LookupAddress } from 'node:dns';
import type { ServerResponse } from 'node:http';
import { createSafeFetcher, type SafeFetcherOptions } from '../../../src/fetch/safe-fetcher.js';
import type { Resolver } from '../../../src/fetch/guarded-lookup.js';

export const UA = 'framewatch-test/1 (+https://example.invalid/bot)';

/** A fetcher with test-friendly caps; any option can be overridden. */
export function testFetcher(overrides: Partial<SafeFetcherOptions> = {}) {
  return createSafeFetcher({
    allowPrivateNetworks: false,
    userAgent: UA,
    timeoutMs: 5_000,
    maxBytes: 1024 * 1024,
    maxRedirects: 5,
    ...overrides,
  });
}

/** A fake DNS: names map to the given addresses; anything else fails like a missing name does. */
export function fakeDns(table: Record<string, string[]>): Resolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async (hostname: string): Promise<LookupAddress[]> => {
    asked.push(hostname);
    const addrs = table[hostname];
    if (!addrs) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
    return addrs.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(resolve, { asked });
}

/** Allows exactly 127.0.0.1 (where the fixture server listens) and refuses everything else. */
export const onlyFixtureServer = (ip: string): string | null => (ip === '127.0.0.1' ? null : 'test-refused');

/** Writes `total` bytes of `chunk` repetitions, honouring backpressure; resolves with what was written. */
export function streamBytes(res: ServerResponse, total: number, chunkSize = 64 * 1024): Promise<number> {
  const chunk = Buffer.alloc(chunkSize, 0x61);
  let written = 0;
  return new Promise((resolve) => {
    const finish = (): void => resolve(written);
    res.on('close', finish);
    const pump = (): void => {
      while (written < total && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      if (written >= total) res.end();
    };
    pump();
  });
}
