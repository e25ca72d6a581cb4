import { afterAll, describe, expect, it } from 'vitest';
import { createExtractionPool, type ExtractionPool } from '../../../src/extract/extraction-pool.js';
import { extractFromHtml } from '../../../src/extract/extract-html.js';
import { benchmarkFixture, BENCHMARK_FIXTURES, hugePage } from '../../unit/extract/fixture-pages.js';

const pools: ExtractionPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

function pool(options: Parameters<typeof createExtractionPool>[0]): ExtractionPool {
  const p = createExtractionPool(options);
  pools.push(p);
  return p;
}

describe('extraction pool (worker threads, started from TypeScript sources)', () => {
  it('extracts pages on two threads with the same result as the calling thread', async () => {
    const p = pool({ threads: 2, engine: 'linkedom', timeoutMs: 30_000 });
    expect(p.threads).toBe(2);
    const pages = BENCHMARK_FIXTURES.slice(0, 4).map(benchmarkFixture);
    const pooled = await Promise.all(pages.map((page) => p.run(page.html, { url: page.url })));
    pages.forEach((page, i) => {
      const local = extractFromHtml(page.html, { url: page.url, engine: 'linkedom' });
      expect(pooled[i]?.text).toBe(local.text);
      expect(pooled[i]?.title).toBe(local.title);
    });
  });

  it('runs the engine a call asks for', async () => {
    const p = pool({ threads: 1, engine: 'linkedom', timeoutMs: 30_000 });
    const page = benchmarkFixture('bbc-newsbeat-swift');
    const viaJsdom = await p.run(page.html, { url: page.url, engine: 'jsdom' });
    expect(viaJsdom.failure).toBeNull();
    expect(viaJsdom.text).toBe(extractFromHtml(page.html, { url: page.url, engine: 'jsdom' }).text);
  });

  it('stops a page that runs past its time limit and keeps serving', async () => {
    const p = pool({ threads: 1, engine: 'linkedom', timeoutMs: 30_000 });
    const page = benchmarkFixture('gizmodo-apple-innovation');
    // 1 ms cannot cover copying a 650 kB page to the thread, let alone parsing it.
    const stopped = await p.run(page.html, { url: page.url, timeoutMs: 1 });
    expect(stopped.failure?.reason).toBe('timeout');
    expect(stopped.flags).toContain('timeout');
    const next = await p.run(page.html, { url: page.url });
    expect(next.failure).toBeNull();
    expect(next.wordCount).toBeGreaterThan(500);
  });

  it('starts a page\'s time limit when a thread takes it, not while it queues behind a burst', async () => {
    const p = pool({ threads: 1, engine: 'linkedom', timeoutMs: 60_000 });
    const page = benchmarkFixture('nbcnews-omar-threat');
    const first = await p.run(page.html, { url: page.url });
    // Each page gets 5x what one took; 12 queued on one thread take far longer than that in total.
    const timeoutMs = Math.max(200, first.durationMs * 5);
    const burst = await Promise.all(Array.from({ length: 12 }, () => p.run(page.html, { url: page.url, timeoutMs })));
    expect(burst.map((r) => r.failure?.reason ?? 'ok')).toEqual(Array(12).fill('ok'));
  });

  it('turns a thread killed by its heap limit into a worker-crash and recovers', async () => {
    const p = pool({ threads: 1, engine: 'linkedom', timeoutMs: 60_000, maxHeapMb: 48 });
    const crashed = await p.run(hugePage(3.5), { url: 'https://x.example/huge' });
    expect(crashed.failure?.reason).toBe('worker-crash');
    const page = benchmarkFixture('nbcnews-omar-threat');
    const next = await p.run(page.html, { url: page.url });
    expect(next.failure).toBeNull();
  });

  it('refuses work after close', async () => {
    const p = createExtractionPool({ threads: 1, engine: 'linkedom', timeoutMs: 1_000 });
    await p.close();
    await expect(p.run('<p>x</p>', { url: 'https://x.example/' })).rejects.toThrow(/closed/);
  });
});
