import { loadConfig } from '../config/load-config.js';
import { createSafeFetcher } from '../fetch/index.js';
import { createLogger, type Logger } from '../obs/logger.js';
import { openCliDatabase } from '../store/open-database.js';
import { migrate } from '../store/migrate.js';
import type { CliContext } from './context.js';

interface GlobalFlags {
  config?: string;
  allowPrivateNetworks?: boolean;
  logLevel?: string;
}

/** The process's streams and environment; tests run the CLI in process with their own. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: Record<string, string | undefined>;
}

export const processIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });

/** Builds the context commands get, applying the global flags (read lazily: commander parses them first). */
export function createCliContext(flags: () => GlobalFlags, io: CliIo = processIo()): CliContext {
  let logger: Logger | null = null;
  let loadedLevel: string | null = null;
  return {
    loadConfig: (overrides = {}) => {
      const config = loadConfig({ ...overrides, env: io.env, configDir: overrides.configDir ?? flags().config, allowPrivateNetworks: flags().allowPrivateNetworks === true });
      loadedLevel = config.env.LOG_LEVEL;
      return config;
    },
    // LOG_LEVEL comes through the validated config; a command that logs before loading it logs at info.
    logger: () => (logger ??= createLogger(flags().logLevel ?? loadedLevel ?? 'info')),
    createFetcher: (config) => createSafeFetcher(config.fetch),
    openDb: async (config) => {
      const db = await openCliDatabase({ url: config.env.DATABASE_URL ?? null, dataDir: config.env.FRAMEWATCH_DATA_DIR });
      await migrate(db);
      return db;
    },
    stdout: io.stdout,
    stdin: io.stdin,
  };
}
