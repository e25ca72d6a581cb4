import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cycles, folderEdges, folderOf, importGraph } from './import-graph.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const graph = importGraph(SRC);

/** The layer order as src/README.md writes it down: one line per layer, top first. */
function layersFromReadme(): string[][] {
  const readme = readFileSync(`${SRC}/README.md`, 'utf8');
  const block = /<!-- layers:[^>]*-->\s*```\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('src/README.md has no layers block');
  return block
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));
}

const layers = layersFromReadme();
const layerOf = new Map(layers.flatMap((folders, i) => folders.map((f) => [f, i] as const)));

describe('import cycles in src/', () => {
  it('no two files import each other, directly or around a loop', () => {
    expect(cycles(graph.files, (f) => graph.edges.get(f) ?? []).map((c) => c.join(' <-> '))).toEqual([]);
  });

  it('no two folders import each other, directly or around a loop', () => {
    const folders = folderEdges(graph);
    expect(cycles(new Set(graph.files.map(folderOf)), (f) => folders.get(f) ?? [])).toEqual([]);
  });
});

describe('layers (src/README.md)', () => {
  it('places every folder of src/ on exactly one layer', () => {
    const placed = layers.flat();
    expect(placed.length).toBe(new Set(placed).size);
    expect([...new Set(graph.files.map(folderOf))].filter((f) => !layerOf.has(f))).toEqual([]);
  });

  it('no folder imports a folder on its own layer or above it', () => {
    const wrong: string[] = [];
    for (const [from, tos] of graph.edges) {
      for (const to of tos) {
        const a = folderOf(from);
        const b = folderOf(to);
        if (a !== b && (layerOf.get(a) ?? -1) >= (layerOf.get(b) ?? -1)) wrong.push(`${from} imports ${to} (${a} is not above ${b})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the check sees a cycle and an upward import when there is one', () => {
    const loop = cycles(['a', 'b', 'c'], (n) => ({ a: ['b'], b: ['c'], c: ['a'] })[n] ?? []);
    expect(loop).toEqual([['a', 'b', 'c']]);
    expect(layerOf.get('domain')).toBeGreaterThan(layerOf.get('pipeline') ?? Infinity);
    expect(graph.edges.get('pipeline/poll.ts')?.has('feeds/health.ts')).toBe(true);
  });
});
