import type { AppConfig, LoadConfigOptions } from '../config/load-config.js';
import { systemClock, type Clock, type SafeFetcher } from '../domain/types.js';
import type { Logger } from '../obs/logger.js';
import type { Db } from '../store/db.js';

/**
 * What every CLI command gets from the entry point. Commands take only what they use from here; the
 * entry point decides how (global flags such as --config and --allow-private-networks are applied here).
 */
export interface CliContext {
  /** Reads and validates config once; a ConfigError is printed by the entry point with file:line:field. */
  loadConfig(overrides?: Omit<LoadConfigOptions, 'env'>): AppConfig;
  /** JSON logs on stderr (stdout is the command's output). */
  logger(): Logger;
  /** The safe fetcher configured from settings and the private-network opt-in; close it when done. */
  createFetcher(config: AppConfig): SafeFetcher & { close(): Promise<void> };
  /**
   * Opens the configured database (PostgreSQL, or the embedded one: directly, or through the running
   * service's socket when the service holds it) and applies migrations.
   */
  openDb(config: AppConfig): Promise<Db>;
  stdout: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  /** What "now" is for commands (`--since 24h`, replays, timestamps); the system clock when absent. */
  clock?: Clock;
}

/** The command's clock: the context's, or the system clock. */
export function clockOf(ctx: Pick<CliContext, 'clock'>): Clock {
  return ctx.clock ?? systemClock;
}

/**
 * A command's failure the user can act on: printed as one line on stderr. Exit status 1: the work was
 * attempted and failed (a network error, a database that does not answer, a record that does not exist).
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** What was typed or configured is wrong (an unknown label, a bad flag value): exit status 2, nothing was done. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}
