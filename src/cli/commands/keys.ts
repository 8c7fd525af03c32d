import type { Command } from 'commander';
import { createKeysModule } from '../../server/modules/keys/index.ts';
import { cliActor, printJson, withRuntime } from '../runtime.ts';

export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('Encryption keys.');
  keys
    .command('rotate')
    .description(
      'Start a new data key and re-wrap every data key under the active master key. With a key file, a new ' +
        'master key is generated first; with CANDOR_MASTER_KEY, set the new key there and the old one in ' +
        'CANDOR_MASTER_KEY_PREVIOUS before running this. Old values stay readable; no downtime.',
    )
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const result = await withRuntime((runtime) =>
        createKeysModule(runtime.ctx).rotate({ actor: cliActor() }),
      );
      const summary = {
        newDataKeyId: result.newDataKeyId,
        rewrapped: result.rewrapped,
        masterKeyId: result.masterKeyId,
      };
      if (options.json) return printJson(summary);
      process.stdout.write(
        `rotated: new data key ${summary.newDataKeyId}, ${summary.rewrapped} data key(s) re-wrapped under master key ${summary.masterKeyId}\n`,
      );
    });
}
