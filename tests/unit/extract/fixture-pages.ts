import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/** tests/fixtures/pages, resolved from this file. */
export const PAGES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'pages');

const manifest = JSON.parse(readFileSync(join(PAGES_DIR, 'benchmark-pages.json'), 'utf8')) as Record<string, { id: string; url: string }>;

/** A benchmark page copied into the fixtures: its HTML, original URL and true article body. */
export function benchmarkFixture(name: string): { html: string; url: string; truth: string } {
  const entry = manifest[name];
  if (!entry) throw new Error(`no benchmark fixture ${name}`);
  return {
    html: gunzipSync(readFileSync(join(PAGES_DIR, `${name}.html.gz`))).toString('utf8'),
    url: entry.url,
    truth: readFileSync(join(PAGES_DIR, `${name}.truth.txt`), 'utf8'),
  };
}

export const BENCHMARK_FIXTURES = Object.keys(manifest);

export function fixtureBytes(file: string): Buffer {
  return readFileSync(join(PAGES_DIR, file));
}

export function fixtureText(file: string): string {
  return readFileSync(join(PAGES_DIR, file), 'utf8');
}

/** A page nested `depth` elements deep around a real paragraph. */
export function deeplyNestedPage(depth: number): string {
  return `<!doctype html><html><body>${'<div>'.repeat(depth)}<p>${'Deep text. '.repeat(50)}</p>${'</div>'.repeat(depth)}</body></html>`;
}

/** A page of about `megabytes` MB: a real article followed by a long run of table rows. */
export function hugePage(megabytes: number): string {
  const row = '<tr><td>cell one</td><td>cell two</td><td>cell three</td></tr>';
  return `<!doctype html><html><body><article><p>${'Huge page text. '.repeat(40)}</p></article><table>${row.repeat(Math.ceil((megabytes * 1024 * 1024) / row.length))}</table></body></html>`;
}
