import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerAlertsCommand } from './alerts.js';
import { registerBacktestCommand } from './backtest.js';
import { registerClassifyCommand } from './classify.js';
import { registerDeliveriesCommand } from './deliveries.js';
import { registerEvalCommand } from './eval.js';
import { registerExtractCommand } from './extract.js';
import { registerFeedsCommand } from './feeds.js';
import { registerMigrateCommand } from './migrate.js';
import { registerResultsCommand } from './results.js';
import { registerReviewCommand } from './review.js';
import { registerScanCommand } from './scan.js';
import { registerServeCommands } from './serve.js';
import { registerTrainCommand } from './train.js';

/** Every `framewatch` subcommand, in the order `--help` lists them. */
export function registerAllCommands(program: Command, ctx: CliContext): void {
  registerServeCommands(program, ctx);
  registerMigrateCommand(program, ctx);
  registerScanCommand(program, ctx);
  registerFeedsCommand(program, ctx);
  registerExtractCommand(program, ctx);
  registerClassifyCommand(program, ctx);
  registerEvalCommand(program, ctx);
  registerTrainCommand(program, ctx);
  registerBacktestCommand(program, ctx);
  registerResultsCommand(program, ctx);
  registerReviewCommand(program, ctx);
  registerAlertsCommand(program, ctx);
  registerDeliveriesCommand(program, ctx);
}
