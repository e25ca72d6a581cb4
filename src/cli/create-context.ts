import { loadConfig } from '../config/load-config.js';
import { createSafeFetcher } from '../fetch/index.js';
import { createLogger, type Logger } from '../obs/logger.js';
import { openDatabase } from '../store/open-database.js';
import { migrate } from '../store/migrate.js';
import type { CliContext } from './context.js';

interface GlobalFlags {
  config?: string;
  allowPrivateNetworks?: boolean;
  logLevel?: string;
}

/** Builds the context commands get, applying the global flags (read lazily: commander parses them first). */
export function createCliContext(flags: () => GlobalFlags): CliContext {
  let logger: Logger | null = null;
  let loadedLevel: string | null = null;
  return {
    loadConfig: (overrides = {}) => {
      const config = loadConfig({ ...overrides, configDir: overrides.configDir ?? flags().config, allowPrivateNetworks: flags().allowPrivateNetworks === true });
      loadedLevel = config.env.LOG_LEVEL;
      return config;
    },
    // LOG_LEVEL comes through the validated config; a command that logs before loading it logs at info.
    logger: () => (logger ??= createLogger(flags().logLevel ?? loadedLevel ?? 'info')),
    createFetcher: (config) => createSafeFetcher(config.fetch),
    openDb: async (config) => {
      const db = await openDatabase({ url: config.env.DATABASE_URL ?? null, dataDir: config.env.FRAMEWATCH_DATA_DIR });
      await migrate(db);
      return db;
    },
    stdout: process.stdout,
    stdin: process.stdin,
  };
}
