import type { Command } from 'commander';
import { createIncidentsModule } from '../../server/modules/incidents/index.ts';
import { createIncidentRequest } from '../../shared/contracts/incidents.ts';
import { cliActor, printJson, withRuntime } from '../runtime.ts';

export function registerIncidentCommands(program: Command): void {
  const incident = program.command('incident').description('Incidents (one per breach you respond to).');
  incident
    .command('create')
    .description('Create an incident.')
    .requiredOption('--title <title>', 'short name, e.g. "CRM export exposed"')
    .requiredOption('--aware-at <iso>', 'when the company became aware (starts most legal clocks), ISO 8601')
    .option('--occurred-at <iso>', 'when the breach began')
    .option('--detected-at <iso>', 'first signal of it')
    .option('--description <text>', 'what happened')
    .option('--json', 'print {"id", …} as JSON')
    .action(
      async (options: {
        title: string;
        awareAt: string;
        occurredAt?: string;
        detectedAt?: string;
        description?: string;
        json?: boolean;
      }) => {
        const parsed = createIncidentRequest.safeParse({
          title: options.title,
          awareAt: options.awareAt,
          occurredAt: options.occurredAt,
          detectedAt: options.detectedAt,
          description: options.description,
        });
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          const flag = `--${String(issue.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
          throw new Error(
            `${flag}: ${issue.message === 'Invalid ISO datetime' ? 'use an ISO 8601 time like 2026-11-02T09:00:00Z' : issue.message}`,
          );
        }
        const created = await withRuntime((runtime) =>
          createIncidentsModule(runtime.ctx).service.create(parsed.data, { actor: cliActor() }),
        );
        if (options.json) return printJson(created);
        process.stdout.write(`incident ${created.id} created: ${created.title}\n`);
      },
    );
  incident
    .command('list')
    .description('List incidents.')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const incidents = await withRuntime((runtime) => createIncidentsModule(runtime.ctx).service.list());
      if (options.json) return printJson(incidents);
      for (const i of incidents)
        process.stdout.write(
          `${i.id}  ${i.createdAt.slice(0, 10)}  ${String(i.people).padStart(8)} people  ${i.title}\n`,
        );
      if (incidents.length === 0)
        process.stdout.write('No incidents yet. Create one with `candor incident create`.\n');
    });
  incident
    .command('show')
    .description('Show one incident.')
    .argument('<id>', 'incident id')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const found = await withRuntime((runtime) => createIncidentsModule(runtime.ctx).service.get(id));
      if (options.json) return printJson(found);
      process.stdout.write(
        `${found.title}\n  id ${found.id}\n  aware ${found.awareAt}\n  people ${found.people}\n`,
      );
    });
}
