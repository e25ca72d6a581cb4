import { Command, CommanderError } from 'commander';
import { ZodError } from 'zod';
import { ConfigError } from '../config/yaml-file.js';
import { CliError } from './context.js';
import { createCliContext } from './create-context.js';
import { registerAllCommands } from './commands/index.js';

/**
 * The `framewatch` command. Global flags come first; each subcommand lives in its own file under
 * src/cli/commands. Errors go to stderr as one clear message with a non-zero exit; stdout carries output only.
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('framewatch')
    .description('News monitoring against a policy framework: poll, extract, classify, store, alert.')
    .option('-c, --config <dir>', 'config folder (default: $FRAMEWATCH_CONFIG or ./config)')
    .option('--allow-private-networks', 'let outbound requests reach loopback and private addresses (tests, local feeds)')
    .option('--log-level <level>', 'log level (default: $LOG_LEVEL or info)')
    .showHelpAfterError()
    .exitOverride();
  const ctx = createCliContext(() => program.opts<{ config?: string; allowPrivateNetworks?: boolean; logLevel?: string }>());
  registerAllCommands(program, ctx);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    return reportError(err);
  }
}

function reportError(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode;
  if (err instanceof ConfigError) {
    process.stderr.write(`framewatch: configuration is invalid:\n${err.message.replace(/^/gm, '  ')}\n`);
    return 2;
  }
  if (err instanceof CliError) {
    process.stderr.write(`framewatch: ${err.message}\n`);
    return err.exitCode;
  }
  if (err instanceof ZodError) {
    process.stderr.write(`framewatch: invalid input: ${err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}\n`);
    return 1;
  }
  process.stderr.write(`framewatch: ${(err as Error)?.stack ?? String(err)}\n`);
  return 1;
}

const code = await main(process.argv);
// Long-running roles (start, worker, api, scheduler) keep the event loop alive; one-shot commands exit here.
if (code !== 0) process.exit(code);
else process.exitCode = 0;
