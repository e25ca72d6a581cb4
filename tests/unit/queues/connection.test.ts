import { describe, expect, it } from 'vitest';
import { Cluster, Redis } from 'ioredis';
import { hashTagOf, prefixHasHashTag } from '../../../src/lib/hash-tag.js';
import { createRedis, parseClusterUrl, parseSentinelUrl } from '../../../src/queues/connection.js';
import { jobIds, parsePayload } from '../../../src/queues/definitions.js';

describe('Redis URLs', () => {
  it('reads sentinel URLs with several sentinels, a password and the master name', () => {
    expect(parseSentinelUrl('redis-sentinel://:s%40cret@10.0.0.1:26379,10.0.0.2:26380/queues')).toEqual({
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '10.0.0.2', port: 26380 },
      ],
      name: 'queues',
      password: 's@cret',
    });
    expect(parseSentinelUrl('redis-sentinel://sentinel.internal')).toEqual({ sentinels: [{ host: 'sentinel.internal', port: 26379 }], name: 'mymaster', password: undefined });
  });

  it('reads cluster URLs: the startup nodes, the credentials every node gets, TLS for rediss-cluster://', () => {
    expect(parseClusterUrl('redis-cluster://10.0.0.1:7000,10.0.0.2:7001,[::1]:7002')).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: '::1', port: 7002 },
      ],
      redisOptions: {},
    });
    expect(parseClusterUrl('rediss-cluster://fw:s%40cret@redis.internal:6380/')).toEqual({ nodes: [{ host: 'redis.internal', port: 6380 }], redisOptions: { username: 'fw', password: 's@cret', tls: {} } });
    expect(parseClusterUrl('redis-cluster://:s3cret@h:7000').redisOptions).toEqual({ password: 's3cret' });
  });

  it('a cluster URL makes an ioredis Cluster whose nodes never give up a worker\'s command (BullMQ requires it)', () => {
    const probe = createRedis({ url: 'redis-cluster://127.0.0.1:1,127.0.0.1:2', role: 'probe' });
    expect(probe).toBeInstanceOf(Cluster);
    probe.disconnect();
    const worker = createRedis({ url: 'redis-cluster://127.0.0.1:1', role: 'worker' }) as Cluster;
    worker.on('error', () => undefined);
    expect(worker.options.redisOptions?.maxRetriesPerRequest).toBeNull();
    worker.disconnect();
    const single = createRedis({ url: 'redis://127.0.0.1:1', role: 'probe' });
    expect(single).toBeInstanceOf(Redis);
    single.disconnect();
  });
});

describe('hash tags', () => {
  it('every key under a tagged prefix hashes to the tag, whatever follows', () => {
    expect(hashTagOf('{framewatch}:extract:wait')).toBe('framewatch');
    expect(hashTagOf('{framewatch}:work:{abc}:trace')).toBe('framewatch');
    expect(hashTagOf('prod:{fw}:seen:feed-1:fp')).toBe('fw');
    expect(hashTagOf('{}framewatch:x')).toBe('{}framewatch:x');
    expect(prefixHasHashTag('{framewatch}')).toBe(true);
    expect(prefixHasHashTag('framewatch')).toBe(false);
    expect(prefixHasHashTag('{}fw')).toBe(false);
    expect(prefixHasHashTag('fw{')).toBe(false);
  });
});

describe('queue payloads and job ids', () => {
  it('accept the documented payloads and refuse others', () => {
    expect(parsePayload('extract', { articleId: 'a1' })).toEqual({ articleId: 'a1' });
    expect(() => parsePayload('extract', { url: 'https://x' })).toThrow();
    expect(parsePayload('alert', { kind: 'feed-health', feedId: 'f', eventId: 'e' })).toMatchObject({ kind: 'feed-health' });
  });

  it('are deterministic and free of the ":" BullMQ reserves', () => {
    expect(jobIds.extract('abc')).toBe(jobIds.extract('abc'));
    expect(jobIds.extract('abc', 'r1')).not.toBe(jobIds.extract('abc'));
    for (const id of [jobIds.extract('a', 'b'), jobIds.classify('a', 'v'), jobIds.store('a', 'r'), jobIds.alertArticle('a', 'r'), jobIds.deliver('d')]) {
      expect(id).not.toContain(':');
    }
  });
});
