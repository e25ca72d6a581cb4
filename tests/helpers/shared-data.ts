import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's shared data folder beside the repository: `../shared` (the dev set, the extraction benchmark). */
export const SHARED_DIR = join(fileURLToPath(new URL('../..', import.meta.url)), '..', 'shared');

const warned = new Set<string>();

/**
 * A path under ../shared, which a plain clone of the repository lacks. Tests that need it use
 * `it.skipIf(!x.present)`: where it is absent they are skipped, with one line on stderr saying which
 * path is missing and how to get it. In CI (CI=true), which always has ../shared, a missing path is an
 * error instead, so those tests can never be skipped there unnoticed.
 */
export function sharedData(...parts: string[]): { path: string; present: boolean } {
  const path = join(SHARED_DIR, ...parts);
  const present = existsSync(path);
  if (!present && process.env.CI) {
    throw new Error(`${path} is missing: CI runs every test that needs ../shared, so the shared folder must be beside the repository`);
  }
  if (!present && !warned.has(path)) {
    warned.add(path);
    console.warn(`skipping the tests that need ${path}: it is absent (put the project's shared/ folder beside the repository to run them)`);
  }
  return { path, present };
}
