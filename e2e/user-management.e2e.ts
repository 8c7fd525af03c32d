import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, heading, setUpFirstAdmin } from './support/console.ts';
import { bootstrapLink } from './support/server.ts';
import { setUpConsoleSuite } from './support/suite.ts';

const suite = setUpConsoleSuite();

describe('user management in the console', () => {
  it('invites a colleague with a role, then changes the role after confirming with password and code', async () => {
    const context = await suite.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const pageErrors = collectPageErrors(page);
    const admin = {
      email: 'ada@example.test',
      password: `Candor e2e ${crypto.randomBytes(9).toString('base64url')}`,
      displayName: 'Ada Admin',
    };
    const totp = await setUpFirstAdmin(page, await bootstrapLink(suite.server), admin);

    await page.goto(`${suite.server.origin}/settings/users`);
    await page.getByRole('button', { name: 'Invite' }).click();
    const invite = page.getByRole('dialog', { name: 'Invite a user' });
    await invite.getByLabel('Email').fill('lena.legal@example.test');
    await invite.getByRole('combobox', { name: 'Role' }).click();
    await page.getByRole('option', { name: /Legal/ }).click();
    await invite.getByRole('button', { name: 'Create setup link' }).click();
    const ready = page.getByRole('dialog', { name: 'Invitation ready' });
    // The link is shown once, to pass on; it carries its token in the fragment only.
    expect(await ready.getByRole('textbox', { name: 'Setup link' }).inputValue()).toMatch(
      /\/setup#token=[\w-]{40,}$/,
    );
    await ready.getByRole('button', { name: 'Done' }).click();

    const row = page.getByRole('row', { name: /lena\.legal@example\.test/ });
    await row.getByRole('cell', { name: 'Legal', exact: true }).waitFor();
    await row.getByRole('button', { name: /Actions for/ }).click();
    await page.getByRole('menuitem', { name: 'Change role' }).click();
    const changeRole = page.getByRole('dialog', { name: /Change the role of/ });
    await changeRole.getByRole('combobox', { name: 'New role' }).click();
    await page.getByRole('option', { name: /Comms/ }).click();
    await changeRole.getByRole('button', { name: 'Change role' }).click();

    // pins: a role change without a fresh password + code (a walked-away session must not grant roles)
    const confirm = page.getByRole('dialog', { name: 'Confirm it’s you' });
    await confirm.getByRole('textbox', { name: 'Password', exact: true }).fill(admin.password);
    // Enrollment spent the current step; the next one is accepted (±1 step) and not yet used.
    await confirm.getByLabel('6-digit code').fill(totp.generate({ timestamp: Date.now() + 30_000 }));
    await confirm.getByRole('button', { name: 'Confirm' }).click();

    await row.getByRole('cell', { name: 'Comms', exact: true }).waitFor();
    await page.goto(`${suite.server.origin}/audit`);
    await heading(page, 'Audit log').waitFor();
    await page.getByText('user.role_changed').first().waitFor();
    await page.getByText('user.invited').first().waitFor();
    expect(pageErrors).toEqual([]);
  });
});
