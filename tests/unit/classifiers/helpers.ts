import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFramework } from '../../../src/config/load-config.js';
import type { Framework } from '../../../src/config/framework-schema.js';

/** The repository root, whatever the working directory of the test run. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const frameworkFile = join(repoRoot, 'config', 'framework.yaml');
export const devDataset = join(repoRoot, '..', 'shared', 'data', 'classification-dev', 'articles.jsonl');

export function repoFramework(): Framework {
  return loadFramework(frameworkFile);
}
