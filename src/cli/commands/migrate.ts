import type { Command } from 'commander';
import { appliedMigrations, migrate } from '../../store/migrate.js';
import { openCliDatabase } from '../../store/open-database.js';
import type { CliContext } from '../context.js';

/**
 * `framewatch migrate [--status]`: applies pending schema migrations to the configured database (PostgreSQL
 * with DATABASE_URL, else the embedded one) and prints what was applied as JSON.
 */
export function registerMigrateCommand(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description('apply pending database migrations (forward-only) and print them as JSON')
    .option('--status', 'only list the applied migrations')
    .action(async (opts: { status?: boolean }) => {
      const config = ctx.loadConfig();
      const db = await openCliDatabase({ url: config.env.DATABASE_URL ?? null, dataDir: config.env.FRAMEWATCH_DATA_DIR });
      try {
        const applied = opts.status ? [] : await migrate(db);
        const current = await appliedMigrations(db);
        ctx.stdout.write(`${JSON.stringify({ database: config.env.DATABASE_URL ? 'postgresql' : 'embedded', applied, current })}\n`);
      } finally {
        await db.close();
      }
    });
}
