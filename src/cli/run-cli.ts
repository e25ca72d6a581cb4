import { Command, CommanderError, Option } from 'commander';
import { ZodError } from 'zod';
import { ConfigError } from '../config/yaml-file.js';
import { LOG_LEVELS } from '../config/env-schema.js';
import { DatabaseUnavailableError } from '../store/database-error.js';
import { EmbeddedDatabaseBusyError } from '../store/pglite-db.js';
import { CliError } from './context.js';
import { createCliContext, processIo, type CliIo } from './create-context.js';
import { registerAllCommands } from './commands/index.js';

/**
 * Exit statuses, as the README documents them: 0 the command did its work; 1 the work was attempted and
 * failed (network, database, a missing record, every feed of a scan failing); 2 bad configuration or
 * arguments, found before anything was done.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

interface GlobalFlags {
  config?: string;
  allowPrivateNetworks?: boolean;
  logLevel?: string;
}

/**
 * The `framewatch` command. Global flags come first; each subcommand lives in its own file under
 * src/cli/commands. Every failure is one line on stderr (`framewatch: what failed, why, what to do`) and a
 * non-zero exit; the stack trace only with `--log-level debug` (or trace). stdout carries output only.
 */
export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  const program = new Command('framewatch')
    .description('News monitoring against a policy framework: poll, extract, classify, store, alert.')
    .option('-c, --config <dir>', 'config folder (default: $FRAMEWATCH_CONFIG or ./config)')
    .option('--allow-private-networks', 'let outbound requests reach loopback and private addresses (tests, local feeds)')
    .addOption(new Option('--log-level <level>', 'log level (default: $LOG_LEVEL or info)').choices(LOG_LEVELS))
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
      // Commander's own errors (unknown option, bad choice, missing argument) as one line like every other.
      outputError: (text, write) => write(`framewatch: ${text.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')}\n`),
    });
  const flags = () => program.opts<GlobalFlags>();
  const ctx = createCliContext(flags, io);
  registerAllCommands(program, ctx);
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (err) {
    const level = flags().logLevel ?? io.env.LOG_LEVEL;
    return reportError(err, io.stderr, level === 'debug' || level === 'trace');
  }
}

/** Prints one line for the error and returns the exit status. */
export function reportError(err: unknown, stderr: NodeJS.WritableStream, withStack: boolean): number {
  const write = (line: string) => void stderr.write(`framewatch: ${line}\n`);
  const stack = () => {
    if (withStack && err instanceof Error && err.stack) stderr.write(`${err.stack}\n`);
  };
  // Already printed by commander (usage errors) or help on request.
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (err instanceof ConfigError) {
    stderr.write(`framewatch: configuration is invalid:\n${err.message.replace(/^/gm, '  ')}\n`);
    return EXIT.usage;
  }
  if (err instanceof CliError) {
    write(err.message);
    stack();
    return err.exitCode;
  }
  if (err instanceof DatabaseUnavailableError || err instanceof EmbeddedDatabaseBusyError) {
    write(err.message);
    stack();
    return EXIT.failed;
  }
  if (err instanceof ZodError) {
    write(`invalid input: ${err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    stack();
    return EXIT.usage;
  }
  const message = err instanceof Error ? err.message : String(err);
  write(`${message.split('\n')[0]}${withStack ? '' : ' (an unexpected error; run again with --log-level debug to see where it happened)'}`);
  stack();
  return EXIT.failed;
}
