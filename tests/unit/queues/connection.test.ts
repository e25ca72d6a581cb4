import { describe, expect, it } from 'vitest';
import { parseSentinelUrl } from '../../../src/queues/connection.js';
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
