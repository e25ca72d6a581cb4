import { Cluster, Redis, type ClusterNode, type ClusterOptions, type RedisOptions } from 'ioredis';

/**
 * A connection to one Redis (given directly or found through Sentinel) or to a Redis Cluster. Everything
 * framewatch keeps in Redis goes through one of these, and every key it writes starts with the queue
 * prefix, whose hash tag (`{framewatch}`) keeps them all in one cluster slot: BullMQ's scripts, the working
 * documents' MULTI and the host limiter's script touch several keys at once.
 */
export type RedisClient = Redis | Cluster;

export interface RedisConnectionOptions {
  url: string;
  /**
   * Workers block on Redis and must never give up a command (BullMQ's production guide); a probe tries
   * once and fails fast, to tell a person at start-up that Redis is not there.
   */
  role: 'worker' | 'client' | 'probe';
  /**
   * Commands issued in one turn of the event loop go out in one write (ioredis's auto-pipelining): for
   * framewatch's own keys, where many jobs of a process each send a command or two at once, and for the
   * queue producers (adding a job is one script call). Not for BullMQ's workers, whose blocking fetch
   * and lock renewals are not written for it.
   */
  autoPipelining?: boolean;
}

/** `redis-cluster://` (and `rediss-cluster://`, TLS): the nodes to start from, comma-separated. */
export const CLUSTER_URL = /^rediss?-cluster:\/\//;

export function isClusterUrl(url: string): boolean {
  return CLUSTER_URL.test(url);
}

// Reconnect forever with a capped backoff: a Redis restart must not kill the service.
const reconnect = (times: number) => Math.min(200 * 2 ** Math.min(times, 6), 10_000);

function optionsFor(role: RedisConnectionOptions['role']): RedisOptions {
  return role === 'probe'
    ? { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 5_000 }
    : { maxRetriesPerRequest: role === 'worker' ? null : 3, enableReadyCheck: true, retryStrategy: reconnect, lazyConnect: false };
}

/**
 * Opens an ioredis connection from a redis://, rediss:// (TLS), redis-sentinel://host:port,host:port/name or
 * redis-cluster://host:port,host:port (rediss-cluster:// for TLS) URL.
 */
export function createRedis({ url, role, autoPipelining = false }: RedisConnectionOptions): RedisClient {
  const base = { ...optionsFor(role), ...(autoPipelining ? { enableAutoPipelining: true } : {}) };
  if (isClusterUrl(url)) {
    const { nodes, redisOptions } = parseClusterUrl(url);
    const options: ClusterOptions = {
      // As for one Redis: a worker's commands wait through a failover (BullMQ checks this on the nodes'
      // options), a client's give up after 3 tries, a probe's at once.
      redisOptions: { ...redisOptions, maxRetriesPerRequest: base.maxRetriesPerRequest, ...(role === 'probe' ? { connectTimeout: 5_000 } : {}) },
      enableReadyCheck: true,
      ...(autoPipelining ? { enableAutoPipelining: true } : {}),
      ...(role === 'probe'
        ? { lazyConnect: true, enableOfflineQueue: false, clusterRetryStrategy: () => null }
        : {
            clusterRetryStrategy: reconnect,
            // A node lost for good is replaced by its replica; one that restarts is reconnected to.
            clusterNodeRetryStrategy: reconnect,
            // Keep resending through a failover (cluster-node-timeout is 15 s by default).
            retryDelayOnFailover: 500,
            retryDelayOnClusterDown: 500,
            retryDelayOnTryAgain: 200,
          }),
    };
    return new Cluster(nodes, options);
  }
  if (url.startsWith('redis-sentinel://')) return new Redis({ ...base, ...parseSentinelUrl(url) });
  return new Redis(url, base);
}

/** `redis-sentinel://[:password@]host:port,host:port/masterName` → ioredis sentinel options. */
export function parseSentinelUrl(url: string): Pick<RedisOptions, 'sentinels' | 'name' | 'password'> {
  const rest = url.slice('redis-sentinel://'.length);
  const at = rest.lastIndexOf('@');
  const auth = at >= 0 ? rest.slice(0, at) : '';
  const [hosts = '', name = 'mymaster'] = rest.slice(at + 1).split('/');
  const password = auth.includes(':') ? decodeURIComponent(auth.slice(auth.indexOf(':') + 1)) : undefined;
  const sentinels = hosts.split(',').map((hp) => {
    const [host = '127.0.0.1', port = '26379'] = hp.split(':');
    return { host, port: Number(port) };
  });
  return { sentinels, name: name || 'mymaster', password };
}

/**
 * `redis-cluster://[[user]:password@]host:port,host:port` (or `rediss-cluster://` for TLS) → the startup
 * nodes and the options every node connection gets. A few nodes are enough: ioredis finds the others.
 */
export function parseClusterUrl(url: string): { nodes: ClusterNode[]; redisOptions: Pick<RedisOptions, 'username' | 'password' | 'tls'> } {
  const tls = url.startsWith('rediss-');
  const rest = url.replace(CLUSTER_URL, '');
  const at = rest.lastIndexOf('@');
  const auth = at >= 0 ? rest.slice(0, at) : '';
  const hosts = rest.slice(at + 1).split(/[/?#]/)[0] ?? '';
  const colon = auth.indexOf(':');
  const username = colon > 0 ? decodeURIComponent(auth.slice(0, colon)) : undefined;
  const password = colon >= 0 ? decodeURIComponent(auth.slice(colon + 1)) : undefined;
  const nodes = hosts
    .split(',')
    .filter(Boolean)
    .map((hp) => {
      // [::1]:7000 as well as host:7000.
      const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hp);
      return { host: (m?.[1] ?? hp).replace(/^\[|\]$/g, ''), port: Number(m?.[2] ?? 6379) };
    });
  return { nodes, redisOptions: { ...(username ? { username } : {}), ...(password !== undefined && password !== '' ? { password } : {}), ...(tls ? { tls: {} } : {}) } };
}
