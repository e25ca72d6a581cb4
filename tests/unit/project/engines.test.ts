import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

// `npm ci` warns EBADENGINE when an installed package needs a newer Node than the project promises; such a
// package may use an API the promised Node lacks. Every installed package must admit the oldest Node
// version package.json's `engines` accepts (pinned with `overrides` where a newer release dropped it).
const project = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const oldestNode = semver.minVersion(project.engines.node)!.version;

function installedPackages(dir = 'node_modules'): { name: string; engines?: { node?: string } }[] {
  const found: { name: string; engines?: { node?: string } }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.name.startsWith('@')) {
      found.push(...installedPackages(path));
      continue;
    }
    const manifest = join(path, 'package.json');
    if (existsSync(manifest)) found.push(JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; engines?: { node?: string } });
    const nested = join(path, 'node_modules');
    if (existsSync(nested)) found.push(...installedPackages(nested));
  }
  return found;
}

describe('Node version support', () => {
  it(`every installed package admits Node ${oldestNode}, the oldest the project accepts`, () => {
    const packages = installedPackages();
    expect(packages.length).toBeGreaterThan(100);
    const refusing = packages
      .filter((p) => typeof p.engines?.node === 'string' && semver.validRange(p.engines.node) !== null)
      .filter((p) => !semver.satisfies(oldestNode, p.engines!.node!))
      .map((p) => `${p.name} needs node ${p.engines!.node}`);
    expect(refusing).toEqual([]);
  });

  it('runs on a Node version the project accepts', () => {
    expect(semver.satisfies(process.versions.node, project.engines.node)).toBe(true);
  });
});
