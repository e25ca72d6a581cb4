import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollFeed, type PollResult } from '../../../src/pipeline/poll.js';
import { startFeedTestEnv, type FeedTestEnv } from './feed-test-env.js';

type Polled = Exclude<PollResult, { status: 'skipped' }>;
const polled = (r: PollResult): Polled => {
  if (r.status === 'skipped') throw new Error('skipped');
  return r;
};

let env: FeedTestEnv;
// Small caps keep this fast; the mechanisms are the same as production's 15 MiB / 20 s.
const MAX_BYTES = 2 * 1024 * 1024;

beforeAll(async () => {
  env = await startFeedTestEnv('hostile', { timeoutMs: 1_500, maxBytes: MAX_BYTES });
});

afterAll(async () => {
  await env?.close();
});

describe('hostile bodies end as recorded errors, and the feed stays scheduled', () => {
  it('a 50 MB body is cut at the size cap (too-large)', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    env.server.route('/huge.xml', async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.write('<rss version="2.0"><channel><title>');
      for (let i = 0; i < 50 && !res.destroyed; i++) {
        if (!res.write(chunk)) await new Promise<void>((r) => { res.once('drain', r); res.once('close', r); });
      }
      res.end('</title></channel></rss>');
    });
    const r = polled(await pollFeed(env.feed('/huge.xml'), env.deps()));
    expect(r.status).toBe('failed');
    expect(r.error?.class).toBe('too-large');
    expect(r.nextPollAt.getTime()).toBeGreaterThan(env.clock.now().getTime());
  });

  it('a gzip bomb is cut at the decompressed size cap', async () => {
    // 64 MiB of zeros compress to about 64 KiB: small on the wire, far above the cap once inflated.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(MAX_BYTES);
    env.server.route('/bomb.xml', (_req, res) => void res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' }).end(bomb));
    const r = polled(await pollFeed(env.feed('/bomb.xml'), env.deps()));
    expect(r.error?.class).toBe('too-large');
  });

  it('a body that never ends times out', async () => {
    const timers: NodeJS.Timeout[] = [];
    env.server.route('/endless.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.write('<rss version="2.0"><channel><title>endless');
      const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write(' more')), 50);
      timers.push(t);
    });
    try {
      const r = polled(await pollFeed(env.feed('/endless.xml'), env.deps()));
      expect(r.error?.class).toBe('timeout');
      expect(r.health.consecutiveFailures).toBe(1);
    } finally {
      timers.forEach(clearInterval);
    }
  });

  it('billion laughs, XXE and __proto__ feeds do not hurt the process', async () => {
    const { readFileSync } = await import('node:fs');
    const dir = new URL('../../fixtures/feeds/', import.meta.url);
    for (const file of ['hostile-billion-laughs.xml', 'hostile-external-entity.xml', 'hostile-proto-elements.xml', 'hostile-invalid-xml.xml']) {
      env.server.route(`/${file}`, (_req, res) => void res.writeHead(200).end(readFileSync(new URL(file, dir))));
    }
    const laughs = polled(await pollFeed(env.feed('/hostile-billion-laughs.xml'), env.deps()));
    expect(laughs.status).toBe('ok');
    expect(laughs.newItems[0]?.item.title).toBe('&lol9;');
    const xxe = polled(await pollFeed(env.feed('/hostile-external-entity.xml'), env.deps()));
    expect(xxe.error).toMatchObject({ class: 'parse' });
    expect(xxe.error?.message).toMatch(/external entity/);
    const proto = polled(await pollFeed(env.feed('/hostile-proto-elements.xml'), env.deps()));
    expect(proto.newItems).toHaveLength(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const invalid = polled(await pollFeed(env.feed('/hostile-invalid-xml.xml'), env.deps()));
    expect(invalid.error?.message).toMatch(/invalid XML at line 9/);
  });
});
