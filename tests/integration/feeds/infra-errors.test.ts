import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisSeenItems } from '../../../src/feeds/seen-items.js';
import { pollFeed } from '../../../src/pipeline/poll.js';
import { waitFor } from '../../helpers/wait-for.js';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.js';
import { startFeedTestEnv, type FeedTestEnv } from './feed-test-env.js';

let env: FeedTestEnv;
let proxy: TcpProxy;
let viaProxy: Redis;

beforeAll(async () => {
  env = await startFeedTestEnv('infra');
  const target = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
  viaProxy = new Redis(proxy.url('redis'), { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => 200 });
  await viaProxy.connect();
});

afterAll(async () => {
  viaProxy?.disconnect();
  await proxy?.close();
  await env?.close();
});

describe('infrastructure failures are thrown, not recorded as the feed\'s fault', () => {
  it('Redis unreachable during a poll → pollFeed rejects and the feed state is untouched', async () => {
    env.server.route('/ok.xml', (_req, res) =>
      void res.writeHead(200).end('<rss version="2.0"><channel><title>x</title><item><guid>1</guid><title>Stored only when Redis answers</title><link>https://example.org/1</link></item></channel></rss>'),
    );
    const feed = env.feed('/ok.xml');
    const deps = env.deps({ seen: new RedisSeenItems(viaProxy, { prefix: env.prefix }) });
    proxy.cut();
    await expect(pollFeed(feed, deps)).rejects.toThrow();
    expect(await env.state.get(feed.id)).toBeNull();
    proxy.restore();
    // Back up: the same poll succeeds and nothing was lost.
    await waitFor(async () => (await viaProxy.ping().catch(() => null)) === 'PONG', { what: 'Redis through the proxy' });
    const r = await pollFeed(feed, deps);
    expect(r.status).toBe('ok');
    expect(r.status === 'ok' && r.newItems).toHaveLength(1);
  });
});
