import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** One benchmark page: id, original URL, the page's HTML and the true article body. */
export interface BenchmarkPage {
  id: string;
  url: string;
  html: string;
  truth: string;
}

/** The repository root, found from this file (not the cwd): bench/lib/ → ../.. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** CI clones the repository with `shared/` beside it. */
export const BENCHMARK_DIR = join(REPO_ROOT, '..', 'shared', 'data', 'extraction-benchmark');

export function benchmarkAvailable(): boolean {
  return existsSync(join(BENCHMARK_DIR, 'ground-truth.json'));
}

/**
 * Loads the benchmark pages in id order (gzip-decoded as UTF-8, as its README says). `limit` takes an
 * evenly spread subset, so a small run still covers many sites.
 */
export function loadBenchmark(limit?: number): BenchmarkPage[] {
  const truth = JSON.parse(readFileSync(join(BENCHMARK_DIR, 'ground-truth.json'), 'utf8')) as Record<string, { articleBody: string; url: string }>;
  const ids = readdirSync(join(BENCHMARK_DIR, 'html'))
    .filter((f) => f.endsWith('.html.gz'))
    .map((f) => f.slice(0, -'.html.gz'.length))
    .sort();
  const chosen = limit && limit < ids.length ? ids.filter((_, i) => Math.floor((i * limit) / ids.length) !== Math.floor(((i - 1) * limit) / ids.length)) : ids;
  return chosen.map((id) => {
    const entry = truth[id];
    if (!entry) throw new Error(`benchmark page ${id} has no ground truth`);
    const html = gunzipSync(readFileSync(join(BENCHMARK_DIR, 'html', `${id}.html.gz`))).toString('utf8');
    return { id, url: entry.url, html, truth: entry.articleBody };
  });
}
