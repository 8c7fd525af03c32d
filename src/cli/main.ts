import { Command, CommanderError } from 'commander';
import { registerAdminCommands } from './commands/admin.ts';
import { registerAuditCommands } from './commands/audit.ts';
import { registerCampaignCommands } from './commands/campaigns.ts';
import { registerConfigCommand } from './commands/config.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { registerInboxCommands } from './commands/inbox.ts';
import { registerIncidentCommands, registerObligationCommands } from './commands/incidents.ts';
import { registerKeysCommands } from './commands/keys.ts';
import { registerPeopleCommands } from './commands/people.ts';
import { registerProcessCommands } from './commands/process.ts';
import { registerUserCommands } from './commands/users.ts';
import { fail } from './runtime.ts';

const program = new Command()
  .name('candor')
  .description('Candor: respond to a breach of your customers’ data without losing their trust.')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerProcessCommands(program);
registerAdminCommands(program);
registerUserCommands(program);
registerAuditCommands(program);
registerKeysCommands(program);
registerIncidentCommands(program);
registerObligationCommands(program);
registerCampaignCommands(program);
registerPeopleCommands(program);
registerDemoCommand(program);
registerInboxCommands(program);
registerConfigCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 64);
  fail(error);
}
