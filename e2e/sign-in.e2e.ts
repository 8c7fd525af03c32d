import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { artifactsDir, assertConsoleBuilt } from './support/paths.ts';
import { bootstrapLink, type CandorServer, serverEnvironment, startServer } from './support/server.ts';

const email = 'admin@example.test';
const password = `Candor e2e ${crypto.randomBytes(9).toString('base64url')}`;
const displayName = 'Ada Admin';

let database: TestDatabase | undefined;
let server: CandorServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext | undefined;

beforeAll(async () => {
  assertConsoleBuilt();
  database = await createTestDatabase();
  server = await startServer(await serverEnvironment(database.url));
  browser = await launchChromium();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
  await database?.drop();
});

/** Anything the page logs as an error (a CSP violation, an uncaught exception) fails the test. */
function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    // Failed requests we provoke on purpose (wrong code → 401) are logged by Chromium too; they are
    // asserted through the UI instead.
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) errors.push(message.text());
  });
  return errors;
}

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { name, exact: true });
const consoleNav = (page: Page) => page.getByRole('navigation', { name: 'Console' });

async function expectConsole(page: Page) {
  const nav = consoleNav(page);
  await nav.getByRole('link', { name: 'Incidents' }).waitFor();
  await nav.getByRole('link', { name: 'Audit log' }).waitFor();
  await heading(page, 'Incidents').waitFor();
  expect(await page.getByText('Each breach you respond to gets a workspace here').isVisible()).toBe(true);
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
    const setupUrl = await bootstrapLink(server!);
    context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const pageErrors = collectPageErrors(page);

    // Setup link: the token travels in the fragment and is dropped from the address bar once read.
    await page.goto(setupUrl);
    await heading(page, 'Create the first admin account').waitFor();
    expect(page.url()).not.toContain('token');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
    await page.getByLabel('Confirm password').fill(password);
    await page.getByLabel('Display name').fill(displayName);
    await page.getByRole('button', { name: 'Set password and continue' }).click();

    // Enrollment: read the secret as a person would type it, compute the code like their app would.
    await heading(page, 'Set up your authenticator app').waitFor();
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    const secret = (await page.getByRole('textbox', { name: 'Secret key' }).inputValue()).replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}=*$/);
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
    await page.getByLabel('6-digit code').fill(totp.generate());
    await page.getByRole('button', { name: 'Confirm code' }).click();

    await heading(page, 'Save your recovery codes').waitFor();
    const codes = await page
      .getByRole('region', { name: 'Recovery codes' })
      .getByRole('listitem')
      .allInnerTexts();
    expect(codes).toHaveLength(10);
    const continueButton = page.getByRole('button', { name: 'Continue to Candor' });
    expect(await continueButton.isDisabled()).toBe(true);
    await page.getByLabel('I have saved these codes').check();
    await continueButton.click();

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
