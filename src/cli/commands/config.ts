import type { Command } from 'commander';
import { describeConfig } from '../../server/config.ts';

export function registerConfigCommand(program: Command): void {
  program
    .command('config')
    .description('Describe every configuration variable (environment).')
    .option('--markdown', 'print the README table')
    .action((options: { markdown?: boolean }) => {
      const rows = describeConfig();
      if (options.markdown) {
        process.stdout.write('| Variable | Default | Meaning |\n|---|---|---|\n');
        for (const r of rows) {
          process.stdout.write(
            `| \`${r.name}\` | ${r.default ? `\`${r.default}\`` : '—'} | ${r.description} |\n`,
          );
        }
        return;
      }
      for (const r of rows)
        process.stdout.write(`${r.name}${r.default ? ` (default ${r.default})` : ''}\n  ${r.description}\n`);
    });
}
