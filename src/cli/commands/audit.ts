import type { Command } from 'commander';
import { verifyAuditChain } from '../../server/platform/audit/audit-log.ts';
import { printJson, withRuntime } from '../runtime.ts';

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('The tamper-evident audit log.');
  audit
    .command('verify')
    .description('Check the hash chain. Exits 0 when intact, 1 naming the first bad entry.')
    .option(
      '--expect-head <hash>',
      'a head hash saved earlier: it must still be in the chain (detects removal of the newest entries)',
    )
    .option('--json', 'print JSON')
    .action(async (options: { expectHead?: string; json?: boolean }) => {
      const result = await withRuntime((runtime) => verifyAuditChain(runtime.ctx.db));
      if (options.json) printJson(result);
      if (!result.ok) {
        if (!options.json)
          process.stderr.write(`audit log TAMPERED: entry ${result.badSeq}: ${result.reason}\n`);
        process.exit(1);
      }
      if (options.expectHead) {
        // A head saved earlier must still be in the chain; if it is gone, the newest entries were removed.
        const hash = options.expectHead.trim().toLowerCase();
        const found = /^[0-9a-f]{64}$/.test(hash)
          ? await withRuntime((runtime) =>
              runtime.ctx.db
                .selectFrom('audit_log')
                .select('seq')
                .where('hash', '=', Buffer.from(hash, 'hex'))
                .executeTakeFirst(),
            )
          : undefined;
        if (!found) {
          process.stderr.write(
            `audit log TRUNCATED: the entry with head hash ${hash} is no longer in the chain\n`,
          );
          process.exit(1);
        }
      }
      if (!options.json) {
        process.stdout.write(
          `audit log intact: ${result.entries} entries, head #${result.headSeq} ${result.headHash}\n`,
        );
      }
    });
}
