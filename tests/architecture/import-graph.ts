import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The import graph of a TypeScript tree, read as text: every relative `import … from`, `export … from`,
 * side-effect `import '…'` and dynamic `import('…')`, type-only ones included (a type import ties two
 * modules together as much as a value import does). Paths are relative to the root, with `/` separators.
 */
export interface ImportGraph {
  files: string[];
  /** file → the files it imports. */
  edges: Map<string, Set<string>>;
}

const SPECIFIER = /(?:\bimport|\bexport)\s+(?:type\s+)?(?:[^'"`;]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

export function importGraph(root: string): ImportGraph {
  const abs = resolve(root);
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(?:ts|mts|tsx)$/.test(name) && !name.endsWith('.d.ts')) files.push(relative(abs, path).split('\\').join('/'));
    }
  };
  walk(abs);
  const known = new Set(files);
  const edges = new Map<string, Set<string>>(files.map((f) => [f, new Set<string>()]));
  for (const file of files) {
    const text = readFileSync(join(abs, file), 'utf8');
    for (const m of text.matchAll(SPECIFIER)) {
      const target = relative(abs, resolve(abs, dirname(file), (m[1] ?? m[2]) as string)).split('\\').join('/').replace(/\.(?:js|ts)$/, '');
      const hit = [`${target}.ts`, `${target}.mts`, `${target}.tsx`, `${target}/index.ts`].find((c) => known.has(c));
      if (hit && hit !== file) edges.get(file)?.add(hit);
    }
  }
  return { files, edges };
}

/** The top folder under the root a file belongs to (`pipeline/poll.ts` → `pipeline`; a root file is its own). */
export function folderOf(file: string): string {
  return file.split('/')[0]?.replace(/\.ts$/, '') ?? file;
}

/** Folder → the other folders its files import. */
export function folderEdges(graph: ImportGraph): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [from, tos] of graph.edges) {
    for (const to of tos) {
      const a = folderOf(from);
      const b = folderOf(to);
      if (a === b) continue;
      if (!out.has(a)) out.set(a, new Set());
      out.get(a)?.add(b);
    }
  }
  return out;
}

/** Every cycle, as the sorted members of each strongly connected component with more than one node (Tarjan). */
export function cycles(nodes: Iterable<string>, next: (node: string) => Iterable<string>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string | undefined;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) found.push(component.sort());
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return found.sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}
