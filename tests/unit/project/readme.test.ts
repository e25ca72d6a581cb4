import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** README promises a newcomer acts on: links that land somewhere, commands that work as written. */
const readme = readFileSync('README.md', 'utf8');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

const anchors = new Set([...readme.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1] ?? '')));

describe('README', () => {
  it("has the heading the JSON Feeds' _framewatch.about link points at", () => {
    const sources = ['src/http/json-feed.ts', 'src/http/routes/json-feeds.ts'].map((f) => readFileSync(f, 'utf8')).join('\n');
    const links = [...sources.matchAll(/about: '(https:\/\/github\.com\/framewatch\/framewatch#[^']+)'/g)].map((m) => m[1] ?? '');
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(anchors, link).toContain(link.split('#')[1]);
  });

  it('every link to a section of itself lands on a heading', () => {
    for (const [, anchor] of readme.matchAll(/\]\(#([^)]+)\)/g)) expect(anchors, anchor).toContain(anchor);
  });

  it('every DATABASE_URL it shows names a user, and it says how to create the database', () => {
    const urls = [...readme.matchAll(/DATABASE_URL=(postgres(?:ql)?:\/\/\S+)/g)].map((m) => m[1] ?? '');
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(new URL(url).username, url).not.toBe('');
    expect(readme).toMatch(/createdb .*framewatch/);
  });

  it('documents the exit statuses 0, 1 and 2, and what counts as failed for scan', () => {
    expect(readme).toMatch(/^### Exit status$/m);
    for (const status of ['0', '1', '2']) expect(readme).toMatch(new RegExp(`^\\| ${status} \\| `, 'm'));
    expect(readme).toMatch(/`scan` counts a feed as failed when/);
  });
});
