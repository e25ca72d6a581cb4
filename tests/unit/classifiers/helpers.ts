import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFramework } from '../../../src/config/load-config.js';
import type { Framework } from '../../../src/config/framework-schema.js';
import { sharedData } from '../../helpers/shared-data.js';

/** The repository root, whatever the working directory of the test run. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const frameworkFile = join(repoRoot, 'config', 'framework.yaml');
/** The dev set in ../shared; tests that read it skip where it is absent (see sharedData). */
export const dev = sharedData('data', 'classification-dev', 'articles.jsonl');
export const devDataset = dev.path;

export function repoFramework(): Framework {
  return loadFramework(frameworkFile);
}
