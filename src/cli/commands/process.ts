import type { Command } from 'commander';
import { serve } from '../../server/main.ts';
import { runWorker } from '../../server/worker.ts';
import { fail, withRuntime } from '../runtime.ts';

export function registerProcessCommands(program: Command): void {
  program
    .command('serve')
    .description('Run the HTTP server (API, staff console). Migrates the database first.')
    .action(() => serve().catch(fail));

  program
    .command('worker')
    .description(
      'Run the background work of `serve` without the HTTP server: scheduled jobs, outbound sending (campaign notices and messages).',
    )
    .action(() => runWorker().catch(fail));

  program
    .command('migrate')
    .description('Apply pending database migrations and exit (safe to run from several machines at once).')
    .action(async () => {
      // Opening the runtime applies pending migrations (under the lock); report what this run applied.
      const applied = await withRuntime(async (runtime) => runtime.appliedMigrations);
      process.stdout.write(
        applied.length ? `applied: ${applied.join(', ')}\n` : 'the database is up to date\n',
      );
    });
}
