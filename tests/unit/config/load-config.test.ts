import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../src/config/duration.js';
import { feedsFileSchema } from '../../../src/config/feeds-schema.js';
import { alertsFileSchema } from '../../../src/config/alerts-schema.js';
import { envSchema } from '../../../src/config/env-schema.js';
import { ConfigError, parseYamlText } from '../../../src/config/yaml-file.js';
import { loadConfig } from '../../../src/config/load-config.js';

function problemsOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('durations', () => {
  it('reads the units people write', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('15 minutes')).toBeNull();
    expect(parseDuration('')).toBeNull();
  });
});

describe('feeds.yaml validation', () => {
  it('derives names, ids and the default interval', () => {
    const feeds = parseYamlText('feeds.yaml', 'feeds:\n  - url: https://www.nato.int/rss.xml\n    interval: 30m\n    tags: [nato]\n', feedsFileSchema);
    expect(feeds).toHaveLength(1);
    expect(feeds[0]).toMatchObject({ url: 'https://www.nato.int/rss.xml', name: 'www.nato.int', intervalMs: 1_800_000, tags: ['nato'] });
    expect(feeds[0]?.id).toMatch(/^nato-int-[0-9a-f]{8}$/);
    const defaults = parseYamlText('feeds.yaml', 'feeds:\n  - url: https://a.example/feed\n', feedsFileSchema);
    expect(defaults[0]?.intervalMs).toBe(900_000);
  });

  it('names the file, line and field of every problem at once', () => {
    const text = ['feeds:', '  - url: https://ok.example/feed', '  - url: not a url', '    interval: soon', '  - url: https://ok.example/feed', '    colour: red'].join('\n');
    const problems = problemsOf(() => parseYamlText('config/feeds.yaml', text, feedsFileSchema));
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p]));
    expect(byPath['feeds[1].url']).toMatchObject({ file: 'config/feeds.yaml', line: 3 });
    expect(byPath['feeds[1].interval']).toMatchObject({ line: 4 });
    expect(byPath['feeds[1].interval']?.message).toMatch(/not a duration/);
    expect(problems.some((p) => p.line === 5 && /colour/.test(p.message))).toBe(true);
  });

  it('reports YAML syntax errors with their line', () => {
    const problems = problemsOf(() => parseYamlText('feeds.yaml', 'feeds:\n  - url: [unclosed\n', feedsFileSchema));
    expect(problems[0]?.message).toMatch(/invalid YAML/);
    expect(problems[0]?.line).not.toBeNull();
  });

  it('rejects the same feed twice', () => {
    const problems = problemsOf(() => parseYamlText('feeds.yaml', 'feeds:\n  - url: https://a.example/f\n  - url: https://a.example/f\n', feedsFileSchema));
    expect(problems[0]).toMatchObject({ path: 'feeds[1].url', line: 3 });
  });
});

describe('alerts.yaml validation', () => {
  it('requires whsec_ secrets and known endpoints', () => {
    const text = ['endpoints:', '  - id: ops', '    url: https://hooks.example/x', '    secret: hunter2', 'rules:', '  - id: r1', '    labels: [targeted-sanctions]', '    endpoints: [nope]'].join('\n');
    const problems = problemsOf(() => parseYamlText('alerts.yaml', text, alertsFileSchema));
    expect(problems.find((p) => p.path === 'endpoints[0].secret')?.line).toBe(4);
    expect(problems.find((p) => p.path === 'rules[0].endpoints[0]')?.message).toMatch(/unknown endpoint "nope"/);
  });
});

describe('environment', () => {
  it('has working defaults and rejects bad values by name', () => {
    const env = envSchema.parse({});
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(env.PORT).toBe(8080);
    expect(env.FRAMEWATCH_ALLOW_PRIVATE_NETWORKS).toBe(false);
    const bad = envSchema.safeParse({ PORT: 'eighty', REDIS_URL: 'http://x' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path[0]).sort()).toEqual(['PORT', 'REDIS_URL']);
  });

  it('takes a Redis Cluster as redis-cluster://host:port,host:port, and asks for a hash-tagged prefix with it', () => {
    for (const url of ['redis-cluster://10.0.0.1:7000,10.0.0.2:7000,10.0.0.3:7000', 'rediss-cluster://fw:s3cret@redis.internal:6380', 'redis-cluster://:p%40ss@[::1]:7000,127.0.0.1:7001/']) {
      expect(envSchema.safeParse({ REDIS_URL: url }).success, url).toBe(true);
    }
    for (const url of ['redis-cluster://10.0.0.1', 'redis-cluster://', 'redis-cluster://10.0.0.1:7000/2', 'redis-cluster://10.0.0.1:7000;10.0.0.2:7000']) {
      const bad = envSchema.safeParse({ REDIS_URL: url });
      expect(bad.error?.issues.map((i) => [i.path[0], i.message]), url).toEqual([['REDIS_URL', expect.stringMatching(/^a cluster URL lists its nodes as host:port/)]]);
    }
    const untagged = envSchema.safeParse({ REDIS_URL: 'redis-cluster://10.0.0.1:7000', FRAMEWATCH_QUEUE_PREFIX: 'framewatch' });
    expect(untagged.error?.issues.map((i) => [i.path[0], i.message])).toEqual([['FRAMEWATCH_QUEUE_PREFIX', expect.stringMatching(/has no hash tag: on Redis Cluster the prefix must hold one/)]]);
    expect(envSchema.safeParse({ REDIS_URL: 'redis-cluster://10.0.0.1:7000', FRAMEWATCH_QUEUE_PREFIX: 'prod:{fw}' }).success).toBe(true);
    // An empty tag hashes the whole key, as no tag does.
    expect(envSchema.safeParse({ REDIS_URL: 'redis-cluster://10.0.0.1:7000', FRAMEWATCH_QUEUE_PREFIX: '{}fw' }).success).toBe(false);
    // One Redis does not care.
    expect(envSchema.safeParse({ REDIS_URL: 'redis://10.0.0.1:6379', FRAMEWATCH_QUEUE_PREFIX: 'framewatch' }).success).toBe(true);
  });
});

describe('loadConfig', () => {
  it('collects problems from the environment and every file before failing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fw-config-'));
    writeFileSync(join(dir, 'feeds.yaml'), 'feeds:\n  - url: ftp://old.example/feed\n');
    const problems = problemsOf(() => loadConfig({ configDir: dir, env: { PORT: 'eighty' } }));
    expect(problems.find((p) => p.file === 'environment')?.path).toBe('PORT');
    expect(problems.find((p) => p.file.endsWith('framework.yaml'))?.message).toMatch(/cannot read file/);
    expect(problems.find((p) => p.file.endsWith('feeds.yaml'))).toMatchObject({ path: 'feeds[0].url', line: 2 });
  });
});

describe('the loaded config', () => {
  const CONFIG_DIR = join(import.meta.dirname, '../../../config');

  it('derives the public URL and the fetcher options once', () => {
    const config = loadConfig({ configDir: CONFIG_DIR, env: { PORT: '9090', HTTPS_PROXY: 'http://proxy.internal:3128' } });
    expect(config.publicUrl).toBe('http://localhost:9090');
    expect(config.fetch).toEqual({
      allowPrivateNetworks: false,
      userAgent: config.settings.fetch.userAgent,
      timeoutMs: 20_000,
      maxBytes: config.settings.fetch.maxBytes,
      maxRedirects: config.settings.fetch.maxRedirects,
      proxy: { https: 'http://proxy.internal:3128' },
    });
    expect(loadConfig({ configDir: CONFIG_DIR, env: { FRAMEWATCH_PUBLIC_URL: 'https://fw.example/' } }).publicUrl).toBe('https://fw.example/');
    // The command line's --allow-private-networks is applied when loading, not written into the config after.
    expect(loadConfig({ configDir: CONFIG_DIR, env: {}, allowPrivateNetworks: true }).fetch.allowPrivateNetworks).toBe(true);
  });

  it('is frozen all the way down: mutating it throws', () => {
    const config = loadConfig({ configDir: CONFIG_DIR, env: {} });
    expect(() => {
      (config.env as { FRAMEWATCH_ALLOW_PRIVATE_NETWORKS: boolean }).FRAMEWATCH_ALLOW_PRIVATE_NETWORKS = true;
    }).toThrow(TypeError);
    expect(() => {
      (config.settings.fetch as { timeout: number }).timeout = 1;
    }).toThrow(TypeError);
    expect(() => config.feeds.push(config.feeds[0]!)).toThrow(TypeError);
    expect(() => {
      (config.framework.labels[0] as { id: string }).id = 'renamed';
    }).toThrow(TypeError);
    expect(() => {
      (config.fetch.proxy as { http?: string }).http = 'http://evil.example';
    }).toThrow(TypeError);
    expect(config.env.FRAMEWATCH_ALLOW_PRIVATE_NETWORKS).toBe(false);
  });
});
