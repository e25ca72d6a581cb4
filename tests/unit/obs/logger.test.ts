import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from '../../../src/obs/logger.js';

describe('redactUrl', () => {
  it('removes credentials from URLs before they are logged', () => {
    expect(redactUrl('redis://:s3cret@redis.internal:6379/0')).toBe('redis://:redacted@redis.internal:6379/0');
    expect(redactUrl('postgres://fw:pw@db:5432/framewatch')).toBe('postgres://redacted:redacted@db:5432/framewatch');
    expect(redactUrl('https://example.org/feed')).toBe('https://example.org/feed');
    expect(redactUrl('not a url')).toBe('not a url');
    // Several hosts in one URL: not a WHATWG URL, still redacted.
    expect(redactUrl('redis-cluster://:s3cret@10.0.0.1:7000,10.0.0.2:7000')).toBe('redis-cluster://:redacted@10.0.0.1:7000,10.0.0.2:7000');
    expect(redactUrl('rediss-cluster://fw:s3cret@10.0.0.1:7000,10.0.0.2:7000')).toBe('rediss-cluster://redacted:redacted@10.0.0.1:7000,10.0.0.2:7000');
    expect(redactUrl('redis-sentinel://:s3cret@10.0.0.1:26379,10.0.0.2:26379/queues')).toBe('redis-sentinel://:redacted@10.0.0.1:26379,10.0.0.2:26379/queues');
  });
});

describe('createLogger', () => {
  it('writes JSON records with secrets, tokens and authorization headers redacted', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    const logger = createLogger('info', { role: 'test' }, sink);
    logger.info({ endpoint: { id: 'analysts', secret: 'whsec_abc' }, token: 't0k', headers: { authorization: 'Bearer x' }, feedId: 'f1' }, 'delivery');
    const record = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(record).toMatchObject({ msg: 'delivery', feedId: 'f1', role: 'test', service: 'framewatch', level: 30 });
    expect(JSON.stringify(record)).not.toMatch(/whsec_abc|t0k|Bearer x/);
    expect((record.endpoint as Record<string, unknown>).secret).toBe('[redacted]');
  });

  it('scrubs credentials inside URLs in any field, nested or in error messages', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    const logger = createLogger('info', {}, sink);
    logger.warn({ url: 'https://alice:s3cret@feeds.example/rss', error: { message: 'could not resolve http://bob:pw@proxy.internal:3128 for x' } }, 'feed failed');
    const line = lines[0] ?? '';
    expect(line).not.toMatch(/s3cret|alice|bob:pw/);
    expect(line).toContain('https://[redacted]@feeds.example/rss');
    expect(line).toContain('http://[redacted]@proxy.internal:3128');
  });
});
