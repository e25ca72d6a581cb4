import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the loopback server answered: when (performance.now() of the bench process) and with what status. */
export interface FeedHit {
  at: number;
  status: number;
}

/**
 * A loopback server answering for N RSS feeds spread over many loopback host names (127.0.1.x), so per-host
 * politeness applies as it would across real publishers. A feed answers 304 to a conditional GET that
 * carries its current ETag, else 200 with its 20 newest items; bumping its version adds one new item.
 */
export interface FeedServer {
  port: number;
  /** Feed i's URL (host 127.0.1.(i mod hosts + 1)). */
  url(i: number): string;
  /** Per feed, every request in arrival order. */
  hits: FeedHit[][];
  /** Per feed, the current version (its newest story); change it to make the next full answer carry a new item. */
  versions: number[];
  /** All feed requests so far. */
  requests(): number;
  close(): Promise<void>;
}

export interface FeedServerOptions {
  feeds: number;
  hosts: number;
  /** RSS `<ttl>` in minutes, or none (a ttl slows the service's own schedule down to it). */
  ttlMinutes?: number;
  /**
   * Called before a feed's n-th request (1-based) is answered, e.g. to publish a new item on some polls.
   * Returning true bumps the feed's version.
   */
  changeBefore?: (feed: number, n: number) => boolean;
}

function body(i: number, version: number, ttlMinutes: number | undefined): string {
  const items: string[] = [];
  for (let k = version + 19; k >= version; k--) {
    items.push(
      `<item><title>Feed ${i} story ${k}: ministers discuss energy security and sanctions policy</title><link>https://news${i % 97}.example/feed-${i}/story-${k}?utm_source=rss</link><guid>feed-${i}-story-${k}</guid><pubDate>Tue, 24 Nov 2026 ${String(k % 24).padStart(2, '0')}:00:00 GMT</pubDate><description>&lt;p&gt;Story ${k} of feed ${i}.&lt;/p&gt;</description></item>`,
    );
  }
  const ttl = ttlMinutes === undefined ? '' : `<ttl>${ttlMinutes}</ttl>`;
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed ${i}</title><link>https://news.example/</link>${ttl}${items.join('')}</channel></rss>`;
}

/** Starts the server on all interfaces (127.0.1.x must reach it) on a free port. */
export async function startFeedServer(options: FeedServerOptions): Promise<FeedServer> {
  const versions = new Array<number>(options.feeds).fill(1);
  const hits: FeedHit[][] = Array.from({ length: options.feeds }, () => []);
  let requests = 0;
  const server = createServer((req, res) => {
    const i = Number(/^\/f\/(\d+)\.xml/.exec(req.url ?? '')?.[1] ?? -1);
    const log = hits[i];
    if (!log || versions[i] === undefined) return void res.writeHead(404).end();
    requests++;
    if (options.changeBefore?.(i, log.length + 1)) versions[i] = (versions[i] ?? 1) + 1;
    const version = versions[i] ?? 1;
    const etag = `"v${version}"`;
    const status = req.headers['if-none-match'] === etag ? 304 : 200;
    log.push({ at: performance.now(), status });
    if (status === 304) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(body(i, version, options.ttlMinutes));
  });
  // Many keep-alive connections from the service's per-host pools; do not let the default 5 s idle close race them.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (i) => `http://127.0.1.${(i % options.hosts) + 1}:${port}/f/${i}.xml`,
    hits,
    versions,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
