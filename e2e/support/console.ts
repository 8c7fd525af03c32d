import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Anything the page logs as an error (a CSP violation, an uncaught exception) fails the test. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    // Failed requests we provoke on purpose (wrong code → 401) are logged by Chromium too; they are
    // asserted through the UI instead.
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) errors.push(message.text());
  });
  return errors;
}

export const heading = (page: Page, name: string | RegExp) =>
  page.getByRole('heading', { name, exact: true });
export const consoleNav = (page: Page) => page.getByRole('navigation', { name: 'Console' });

export interface NewAdmin {
  email: string;
  password: string;
  displayName: string;
  /** The company's name, which first-run setup asks for (default: the demo's fictional shop). */
  companyName?: string;
}

/**
 * Follows the one-time setup link printed by `candor serve` as the first admin would: sets the password,
 * enrolls an authenticator (the code is computed from the secret shown, like an app would) and confirms the
 * recovery codes were saved. Returns the authenticator, for signing in again.
 */
export async function setUpFirstAdmin(page: Page, setupUrl: string, admin: NewAdmin): Promise<TOTP> {
  // Setup link: the token travels in the fragment and is dropped from the address bar once read.
  await page.goto(setupUrl);
  await heading(page, 'Create the first admin account').waitFor();
  expect(page.url()).not.toContain('token');
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Company name').fill(admin.companyName ?? 'Example Shop');
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(admin.password);
  await page.getByLabel('Confirm password').fill(admin.password);
  await page.getByLabel('Display name').fill(admin.displayName);
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
  await consoleNav(page).waitFor();
  return totp;
}
