import type { Command } from 'commander';
import { createDemo } from '../../server/demo.ts';
import { cliActor, printJson, withRuntime } from '../runtime.ts';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'Create a demo incident from the synthetic breach in examples/ (fictional people), to explore Candor.',
    )
    .option(
      '--json',
      'print {"incidentId", "isNew", "imports", "people", "conflicts", "campaignId", "noticeSlug", "noticeUrl"} as JSON',
    )
    .action(async (options: { json?: boolean }) => {
      const result = await withRuntime((runtime) =>
        createDemo(runtime.ctx, cliActor(), (file, p) => {
          if (!options.json && p.phase === 'done') process.stderr.write(`imported ${file}\n`);
        }),
      );
      if (options.json) return printJson(result);
      process.stdout.write(
        (result.isNew
          ? `Demo incident ${result.incidentId}: ${result.people} people from ${result.imports.length} files, ${result.conflicts} conflicts to review.\n`
          : `The demo was loaded before: incident ${result.incidentId} (${result.people} people, ${result.conflicts} conflicts to review), nothing created twice.\n`) +
          `Its public notice is published at ${result.noticeUrl}\n` +
          'Open the console (npm start) → Incidents to explore it.\n',
      );
    });
}
