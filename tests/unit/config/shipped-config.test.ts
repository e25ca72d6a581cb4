import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';

const CONFIG_DIR = fileURLToPath(new URL('../../../config', import.meta.url));

describe('the config shipped in config/', () => {
  it('loads as a whole: framework, feeds, alerts and defaults', () => {
    const config = loadConfig({ configDir: CONFIG_DIR, env: {} });
    expect(config.framework.groups.map((g) => g.id).sort()).toEqual(['aspects', 'impact-areas', 'policy-focuses']);
    expect(config.framework.labels).toHaveLength(10);
    expect(config.framework.version).toMatch(/^fw-[0-9a-f]{12}$/);
    expect(config.feeds.length).toBeGreaterThanOrEqual(15);
    expect(new Set(config.feeds.map((f) => f.id)).size).toBe(config.feeds.length);
    for (const feed of config.feeds) expect(feed.url).toMatch(/^https:\/\//);
    expect(config.settings.fetch.timeout).toBe(20_000);
  });
});
