import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { perCore, settingsFileSchema } from '../../../src/config/settings-schema.js';

describe('stage concurrency defaults', () => {
  it('scale with the cores, never below one core’s worth', () => {
    expect([perCore(4, 1), perCore(4, 2), perCore(8, 16)]).toEqual([4, 8, 128]);
    expect(perCore(2, 0)).toBe(2);
  });

  it('come from this machine’s cores when settings.yaml does not set them, and a set value wins', () => {
    const cores = availableParallelism();
    const defaults = settingsFileSchema.parse({});
    expect([defaults.extract.concurrency, defaults.classify.concurrency, defaults.store.concurrency]).toEqual([4 * cores, 2 * cores, 8 * cores]);
    expect(settingsFileSchema.parse({ store: { concurrency: 3 } }).store.concurrency).toBe(3);
  });
});

describe('poll.perHostGap', () => {
  it('may be 0s (no gap, the concurrency cap only), but not negative or a bare number', () => {
    expect(settingsFileSchema.parse({ poll: { perHostGap: '0s' } }).poll.perHostGap).toBe(0);
    expect(settingsFileSchema.parse({}).poll.perHostGap).toBe(1_000);
    expect(settingsFileSchema.safeParse({ poll: { perHostGap: '-1s' } }).success).toBe(false);
    expect(settingsFileSchema.safeParse({ poll: { perHostGap: '5' } }).success).toBe(false);
  });
});
