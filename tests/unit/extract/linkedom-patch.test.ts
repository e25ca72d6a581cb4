import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';

// patches/linkedom+*.patch makes linkedom create a node's listener map on first use instead of in
// every node's constructor (the benchmark's throughput depends on it). Events must behave as before.
describe('linkedom with the lazy listener-map patch', () => {
  it('is installed (npm ci ran the postinstall patch step)', () => {
    const pkgDir = dirname(createRequire(import.meta.url).resolve('linkedom/package.json'));
    for (const flavour of ['esm', 'cjs']) {
      const source = readFileSync(join(pkgDir, flavour, 'interface', 'event-target.js'), 'utf8');
      expect(source, flavour).toContain('framewatch patch');
    }
  });

  it('still delivers, bubbles, honours once, and removes listeners', () => {
    const { document, Event } = parseHTML('<html><body><div id="outer"><p id="inner">x</p></div></body></html>');
    const outer = document.getElementById('outer');
    const inner = document.getElementById('inner');
    if (!outer || !inner) throw new Error('fixture elements missing');
    const seen: string[] = [];
    const onInner = (): void => void seen.push('inner');
    inner.addEventListener('ping', onInner);
    inner.addEventListener('ping', () => seen.push('inner-once'), { once: true });
    outer.addEventListener('ping', () => seen.push('outer'));

    inner.dispatchEvent(new Event('ping', { bubbles: true }));
    inner.dispatchEvent(new Event('ping', { bubbles: false }));
    inner.removeEventListener('ping', onInner);
    inner.dispatchEvent(new Event('ping', { bubbles: true }));
    expect(seen).toEqual(['inner', 'inner-once', 'outer', 'inner', 'outer']);
  });

  it('lets a node that never had a listener remove one or dispatch', () => {
    const { document, Event } = parseHTML('<p>x</p>');
    const p = document.querySelector('p');
    if (!p) throw new Error('fixture element missing');
    expect(() => p.removeEventListener('click', () => undefined)).not.toThrow();
    expect(() => p.dispatchEvent(new Event('click'))).not.toThrow();
  });
});
