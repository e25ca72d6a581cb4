import type { AppConfig } from '../config/load-config.js';
import { createExtractionPool } from '../extract/extraction-pool.js';
import type { Logger } from '../obs/logger.js';
import type { ExtractDeps } from '../pipeline/extract.js';

/**
 * The extraction stage's resources in a worker process: a thread pool over every core (a runaway page
 * only costs its thread), and the settings the stage reads.
 */
export function createExtractionRuntime(config: AppConfig, logger: Logger): { deps: Omit<ExtractDeps, 'fetcher'>; close: () => Promise<void> } {
  // A page still parsing after settings.extract.timeout is cut off and the article falls back to the feed's text.
  const pool = createExtractionPool({ engine: config.settings.extract.engine, timeoutMs: config.settings.extract.timeout });
  logger.info({ threads: pool.threads, engine: config.settings.extract.engine }, 'extraction pool started');
  return {
    deps: { engine: config.settings.extract.engine, minConfidence: config.settings.extract.minConfidence, pool },
    close: () => pool.close(),
  };
}
