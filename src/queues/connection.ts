import { Redis, type RedisOptions } from 'ioredis';

export interface RedisConnectionOptions {
  url: string;
  /**
   * Workers block on Redis and must never give up a command (BullMQ's production guide); a probe tries
   * once and fails fast, to tell a person at start-up that Redis is not there.
   */
  role: 'worker' | 'client' | 'probe';
}

/**
 * Opens an ioredis connection from a redis://, rediss:// (TLS) or redis-sentinel://host:port,host:port/name URL.
 */
export function createRedis({ url, role }: RedisConnectionOptions): Redis {
  const base: RedisOptions =
    role === 'probe'
      ? { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 5_000 }
      : {
          maxRetriesPerRequest: role === 'worker' ? null : 3,
          enableReadyCheck: true,
          // Reconnect forever with a capped backoff: a Redis restart must not kill the service.
          retryStrategy: (times) => Math.min(200 * 2 ** Math.min(times, 6), 10_000),
          lazyConnect: false,
        };
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
