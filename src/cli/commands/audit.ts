import type { Command } from 'commander';
import { verifyAuditChain } from '../../server/platform/audit/audit-log.ts';
import { printJson, withRuntime } from '../runtime.ts';

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('The tamper-evident audit log.');
  audit
    .command('verify')
    .description('Check the hash chain. Exits 0 when intact, 1 naming the first bad entry.')
    .option('--expect-head <hash>', 'also require the chain to contain this head hash (detects truncation)')
    .option('--json', 'print JSON')
    .action(async (options: { expectHead?: string; json?: boolean }) => {
      const result = await withRuntime((runtime) => verifyAuditChain(runtime.ctx.db));
      if (options.json) printJson(result);
      if (!result.ok) {
        if (!options.json)
          process.stderr.write(`audit log TAMPERED: entry ${result.badSeq}: ${result.reason}\n`);
        process.exit(1);
      }
      if (options.expectHead && options.expectHead !== result.headHash) {
        // A known earlier head must still be the head or lie in the chain; here we only know the newest.
        if (!options.json)
          process.stderr.write(
            `audit log head ${result.headHash} differs from the expected ${options.expectHead}\n`,
          );
        process.exit(1);
      }
      if (!options.json) {
        process.stdout.write(
          `audit log intact: ${result.entries} entries, head #${result.headSeq} ${result.headHash}\n`,
        );
      }
    });
}
