import type { Command } from 'commander';
import { createAuthModule } from '../../server/modules/auth/index.ts';
import type { Runtime } from '../../server/runtime.ts';
import { cliActor, printJson, withRuntime } from '../runtime.ts';

/** Accepts a user id or an email address. */
async function resolveUser(runtime: Runtime, who: string): Promise<string> {
  const users = await createAuthModule(runtime.ctx).users.list();
  const user = users.find((u) => u.id === who || u.email === who.trim().toLowerCase());
  if (!user) throw new Error(`No user "${who}". Run \`candor user list\` to see ids and emails.`);
  return user.id;
}

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('Staff accounts.');
  user
    .command('list')
    .description('List staff accounts with role, status and MFA state.')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const users = await withRuntime((runtime) => createAuthModule(runtime.ctx).users.list());
      if (options.json) return printJson(users);
      for (const u of users) {
        process.stdout.write(
          `${u.id}  ${u.email.padEnd(32)} ${u.role.padEnd(10)} ${u.status.padEnd(9)} ${u.mfaEnrolled ? 'mfa' : 'no-mfa'}\n`,
        );
      }
      if (users.length === 0)
        process.stdout.write('No accounts yet. Create one with `candor admin create --email …`.\n');
    });

  user
    .command('disable')
    .description('Disable an account and end its sessions.')
    .argument('<user>', 'user id or email')
    .action(async (who: string) => {
      await withRuntime(async (runtime) => {
        const id = await resolveUser(runtime, who);
        await createAuthModule(runtime.ctx).users.setDisabled(id, true, { actor: cliActor() });
      });
      process.stdout.write('disabled\n');
    });

  user
    .command('reset-mfa')
    .description(
      'Clear an account’s authenticator and password, and print a one-time link to set them again.',
    )
    .argument('<user>', 'user id or email')
    .option('--json', 'print JSON')
    .action(async (who: string, options: { json?: boolean }) => {
      const result = await withRuntime(async (runtime) => {
        const id = await resolveUser(runtime, who);
        return createAuthModule(runtime.ctx).users.resetMfa(id, { actor: cliActor() });
      });
      if (options.json)
        return printJson({ userId: result.user.id, setupUrl: result.setupUrl, expiresAt: result.expiresAt });
      process.stdout.write(
        `MFA reset. One-time link (valid until ${result.expiresAt}):\n\n  ${result.setupUrl}\n`,
      );
    });
}
