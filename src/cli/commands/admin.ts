import type { Command } from 'commander';
import { z } from 'zod';
import { createAuthModule } from '../../server/modules/auth/index.ts';
import { cliActor, printJson, withRuntime } from '../runtime.ts';

export function registerAdminCommands(program: Command): void {
  const admin = program.command('admin').description('Administrator accounts.');
  admin
    .command('create')
    .description('Create an admin account and print its one-time setup link.')
    .requiredOption('--email <email>', 'the admin’s work email address')
    .option('--json', 'print {"userId", "setupUrl", "expiresAt"} as JSON')
    .action(async (options: { email: string; json?: boolean }) => {
      const email = z.email().safeParse(options.email.trim().toLowerCase());
      if (!email.success) throw new Error(`--email "${options.email}" is not a valid email address.`);
      const result = await withRuntime((runtime) =>
        createAuthModule(runtime.ctx).users.createAdmin(email.data, { actor: cliActor() }),
      );
      if (options.json) {
        printJson({ userId: result.user.id, setupUrl: result.setupUrl, expiresAt: result.expiresAt });
        return;
      }
      process.stdout.write(
        `Admin ${result.user.email} created.\nOne-time setup link (valid until ${result.expiresAt}):\n\n  ${result.setupUrl}\n\n` +
          'Open it to set a password and enroll an authenticator app.\n',
      );
    });
}
