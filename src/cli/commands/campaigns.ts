import fs from 'node:fs';
import type { Command } from 'commander';
import { createCampaignsModule } from '../../server/modules/campaigns/index.ts';
import { campaignInput } from '../../shared/contracts/campaigns.ts';
import { can } from '../../shared/permissions.ts';
import { cliActor, printJson, withRuntime } from '../runtime.ts';

/**
 * `candor campaign …`: create from a file, approve, start, pause/resume/cancel, status. Approval needs a
 * person signed in (the console or the API): the CLI acts as the OS user, who is nobody's `legal` reviewer.
 */
export function registerCampaignCommands(program: Command): void {
  const campaign = program.command('campaign').description('Notices to affected people (campaigns).');
  campaign
    .command('create')
    .description('Create a campaign for an incident from a campaign file (see examples/campaign.json).')
    .argument('<incident-id>', 'incident id')
    .requiredOption('--file <path>', 'the campaign file (JSON)')
    .option('--json', 'print the campaign as JSON')
    .action(async (incidentId: string, options: { file: string; json?: boolean }) => {
      let raw: unknown;
      try {
        raw = JSON.parse(fs.readFileSync(options.file, 'utf8'));
      } catch (error) {
        throw new Error(`--file: cannot read ${options.file} as JSON (${(error as Error).message})`);
      }
      const parsed = campaignInput.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new Error(`${options.file}: ${issue.path.join('.') || '(top)'}: ${issue.message}`);
      }
      const created = await withRuntime((runtime) =>
        createCampaignsModule(runtime.ctx).service.create(incidentId, parsed.data, { actor: cliActor() }),
      );
      if (options.json) return printJson(created);
      process.stdout.write(
        `campaign ${created.id} created (${created.variants.length} variants); legal must approve each variant before it starts.\n`,
      );
    });
  campaign
    .command('approve')
    .description(
      'Approve every variant waiting for approval, as a named legal (or admin) user who did not write it. Whoever runs this holds the server, so it is trusted like the console; it is audited as that user via the CLI.',
    )
    .argument('<id>', 'campaign id')
    .requiredOption('--as <email>', 'the approving staff account (role legal or admin)')
    .option('--json', 'print the campaign as JSON')
    .action(async (id: string, options: { as: string; json?: boolean }) => {
      const result = await withRuntime(async (runtime) => {
        const user = await runtime.ctx.db
          .selectFrom('users')
          .select(['id', 'role', 'status'])
          .where('email', '=', options.as.trim().toLowerCase())
          .executeTakeFirst();
        if (user?.status !== 'active') throw new Error(`--as: no active staff account ${options.as}`);
        if (!can(user.role, 'campaigns:approve')) {
          throw new Error(`--as: ${options.as} is ${user.role}; approvals need the legal or admin role.`);
        }
        const campaigns = createCampaignsModule(runtime.ctx);
        let found = await campaigns.service.get(id);
        const actor = { type: 'user' as const, id: user.id, label: `${user.role} via ${cliActor().label}` };
        for (const variant of found.variants.filter((v) => !v.approved)) {
          found = await campaigns.service.approve(id, variant.id, variant.version, { actor });
        }
        return found;
      });
      if (options.json) return printJson(result);
      process.stdout.write(
        `campaign ${result.id}: ${result.variants.filter((v) => v.approved).length}/${result.variants.length} variants approved\n`,
      );
    });
  campaign
    .command('start')
    .description('Start a campaign now, or at a time.')
    .argument('<id>', 'campaign id')
    .option('--at <iso>', 'start at this time instead of now')
    .option('--json', 'print the campaign as JSON')
    .action(async (id: string, options: { at?: string; json?: boolean }) => {
      const at = options.at ? new Date(options.at) : null;
      if (at && Number.isNaN(at.getTime()))
        throw new Error('--at: use an ISO 8601 time like 2026-12-01T09:00:00Z');
      const result = await withRuntime((runtime) =>
        createCampaignsModule(runtime.ctx).service.start(id, at, { actor: cliActor() }),
      );
      if (options.json) return printJson(result);
      process.stdout.write(
        `campaign ${result.id} ${result.status}${result.scheduledAt ? ` for ${result.scheduledAt}` : ''}. Messages go out from \`candor serve\` or \`candor worker\`; follow with \`candor campaign status ${id}\`.\n`,
      );
    });
  for (const action of ['pause', 'resume', 'cancel'] as const) {
    campaign
      .command(action)
      .description(`${action[0]!.toUpperCase()}${action.slice(1)} a campaign.`)
      .argument('<id>', 'campaign id')
      .option('--json', 'print the campaign as JSON')
      .action(async (id: string, options: { json?: boolean }) => {
        const result = await withRuntime((runtime) =>
          createCampaignsModule(runtime.ctx).service.move(id, action, { actor: cliActor() }),
        );
        if (options.json) return printJson(result);
        process.stdout.write(`campaign ${result.id}: ${result.status}\n`);
      });
  }
  campaign
    .command('status')
    .description('Counts by delivery state and channel.')
    .argument('<id>', 'campaign id')
    .option('--json', 'print {"state", "total", "byState": {…}, "byChannel": {…}}')
    .option('--watch', 'refresh every two seconds until the campaign ends')
    .action(async (id: string, options: { json?: boolean; watch?: boolean }) => {
      await withRuntime(async (runtime) => {
        const campaigns = createCampaignsModule(runtime.ctx);
        for (;;) {
          const s = await campaigns.service.status(id);
          if (options.json) {
            printJson({ state: s.state, total: s.total, byState: s.byState, byChannel: s.byChannel });
          } else {
            const done = s.byState.sent + s.byState.delivered;
            process.stdout.write(
              `${s.state.padEnd(9)} ${done}/${s.total} notified · pending ${s.byState.pending} · claimed ${s.byState.claimed} · bounced ${s.byState.bounced} · failed ${s.byState.failed} · fell back ${s.byState.fellBack} · suppressed ${s.byState.suppressed}${s.pausedReason ? ` · ${s.pausedReason}` : ''}\n`,
            );
          }
          if (!options.watch || ['finished', 'cancelled', 'draft'].includes(s.state)) return;
          await new Promise((r) => setTimeout(r, 2000));
        }
      });
    });
}
