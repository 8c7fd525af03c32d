import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, consoleNav, heading, setUpFirstAdmin } from './support/console.ts';
import { artifactsDir } from './support/paths.ts';
import { bootstrapLink } from './support/server.ts';
import { setUpConsoleSuite } from './support/suite.ts';

const email = 'admin@example.test';
const password = `Candor e2e ${crypto.randomBytes(9).toString('base64url')}`;
const displayName = 'Ada Admin';

const suite = setUpConsoleSuite();

async function expectConsole(page: Page) {
  const nav = consoleNav(page);
  await nav.getByRole('link', { name: 'Incidents' }).waitFor();
  await nav.getByRole('link', { name: 'Audit log' }).waitFor();
  await heading(page, 'Incidents').waitFor();
  // The incidents list loads after the page's heading: wait for its empty state.
  await page.getByText('Each breach you respond to gets a workspace here').waitFor();
}

/** A six-digit code that matches none of the steps the server could accept around now. */
function wrongCode(totp: TOTP): string {
  const nearby = [-30_000, 0, 30_000, 60_000].map((offset) =>
    totp.generate({ timestamp: Date.now() + offset }),
  );
  return ['000000', '111111', '222222'].find((code) => !nearby.includes(code))!;
}

describe('staff sign-in', () => {
  it('sets up the first admin from the setup link, then signs in again with password and TOTP', async () => {
    const setupUrl = await bootstrapLink(suite.server);
    const context = await suite.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const pageErrors = collectPageErrors(page);

    const totp = await setUpFirstAdmin(page, setupUrl, { email, password, displayName });

    await expectConsole(page);
    await page.getByRole('button', { name: new RegExp(displayName) }).waitFor();
    fs.mkdirSync(artifactsDir, { recursive: true });
    await page.screenshot({ path: path.join(artifactsDir, 'console.png'), fullPage: true });

    // Sign out, then back in: password first, then the second factor.
    await page.getByRole('button', { name: new RegExp(displayName) }).click();
    await page.getByRole('menuitem', { name: 'Sign out', exact: true }).click();
    await heading(page, 'Sign in to Candor').waitFor();
    expect(await consoleNav(page).count()).toBe(0);

    await page.getByLabel('Email').fill(email);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading(page, 'Two-step verification').waitFor();

    await page.getByLabel('6-digit code').fill(wrongCode(totp));
    await page.getByRole('button', { name: 'Verify' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect((await alert.textContent())?.trim()).toBeTruthy();
    await heading(page, 'Two-step verification').waitFor();

    // Each code works once and enrollment used the current time step: use the next one (the server
    // accepts one step either side).
    await page.getByLabel('6-digit code').fill(totp.generate({ timestamp: Date.now() + 30_000 }));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expectConsole(page);

    expect(pageErrors).toEqual([]);
  });
});
