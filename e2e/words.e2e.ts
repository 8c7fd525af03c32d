import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible } from './support/axe.ts';
import { collectPageErrors, heading, setUpFirstAdmin } from './support/console.ts';
import { bootstrapLink } from './support/server.ts';
import { setUpConsoleSuite } from './support/suite.ts';

/**
 * "The words are the product", in Chromium: the first admin names the company at setup; the notice editor
 * checks the text against the data as comms types ("It did not hold full payment card numbers" while the
 * import found cards for two thirds of the people); legal's approve dialogs list what the check found; the
 * campaign page warns while the company is unnamed; incidents have a public title; the company's wording
 * settings have a page.
 */
const suite = setUpConsoleSuite();
const shotsDir = '/tmp/shots';
const admin = {
  email: 'wanda.words@example.test',
  password: `Candor e2e ${crypto.randomBytes(9).toString('base64url')}`,
  displayName: 'Wanda Words',
  companyName: 'Example Shop',
};

async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: path.join(shotsDir, `words-${name}.png`), fullPage });
}

/** Direct SQL on the server's database, for what a second staff member would do (not under test here). */
async function sql(query: string, params: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: suite.database.url });
  await client.connect();
  try {
    await client.query(query, params);
  } finally {
    await client.end();
  }
}

describe('what people are told agrees with the data', () => {
  it('from setup to approval', async () => {
    fs.mkdirSync(shotsDir, { recursive: true });
    const context = await suite.newContext({ viewport: { width: 1400, height: 1000 }, bypassCSP: true });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await setUpFirstAdmin(page, await bootstrapLink(suite.server), admin);
    const origin = suite.server.origin;
    const branding = (await (await context.request.get(`${origin}/api/settings/branding`)).json()) as {
      companyName: string | null;
    };
    expect(branding.companyName).toBe('Example Shop');

    await page.goto(`${origin}/incidents`);
    await page.getByRole('button', { name: 'Load the demo breach' }).click();
    await page.waitForURL(/\/incidents\/[0-9a-f-]{36}\/people$/, { timeout: 60_000 });
    const incidentId = /\/incidents\/([0-9a-f-]{36})\//.exec(page.url())?.[1] ?? '';

    // The notice editor: a draft from the published notice is consistent with the data…
    await page.goto(`${origin}/incidents/${incidentId}/notice-site`);
    await page.getByRole('button', { name: 'Start a draft from version 1' }).click();
    await page.getByText('Consistent with the data').waitFor();
    // …until it denies what the import found.
    const field = page.getByLabel('What information was involved');
    await field.fill(`${await field.inputValue()}\n\nIt did not hold full payment card numbers.`);
    const live = page.getByRole('status').filter({ hasText: 'The texts disagree with the data' });
    await live.waitFor();
    expect(await live.textContent()).toContain('“It did not hold full payment card numbers.”');
    expect(await live.textContent()).toContain('446 of 666 people (67%)');
    await shot(page, 'notice-editor-live-check');
    await page.getByRole('button', { name: 'Save draft' }).first().click();
    await page.getByText('Unsaved changes').waitFor({ state: 'detached' });

    // Legal approves in a dialog that lists the findings (the draft's author is someone else here).
    await sql(`UPDATE notice_versions SET author_id = NULL, author = 'Carla Comms' WHERE status = 'draft'`);
    await page.reload();
    await page.getByRole('button', { name: 'Approve version 2' }).click();
    const dialog = page.getByRole('dialog', { name: 'Approve version 2?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('The consistency check found 1 problem with the data');
    expect(await dialog.textContent()).toContain('It did not hold full payment card numbers.');
    await shot(page, 'notice-approve-dialog', false);
    await expectAccessible(page, 'notice-approve-dialog');
    await dialog.getByRole('button', { name: 'Approve anyway' }).click();
    await heading(page, 'Version 2').waitFor();
    await page.getByText('Approved', { exact: true }).first().waitFor();

    // The campaign page, with the company unnamed: a warning wherever sending starts or is approved.
    const campaigns = (await (
      await context.request.get(`${origin}/api/incidents/${incidentId}/campaigns`)
    ).json()) as { campaigns: Array<{ id: string }> };
    const campaignId = campaigns.campaigns[0]!.id;
    await sql(
      `UPDATE settings SET value = jsonb_set(value, '{companyName}', 'null') WHERE key = 'notice_branding'`,
    );
    await sql(
      `UPDATE campaign_variants SET approved_version = NULL, approved_by = NULL, approved_by_id = NULL, approved_at = NULL WHERE name = 'credentials'`,
    );
    await page.goto(`${origin}/incidents/${incidentId}/campaigns/${campaignId}`);
    const banner = page.getByRole('alert').filter({ hasText: 'Before anything is sent' });
    await banner.waitFor();
    expect(await banner.textContent()).toContain('The company name is not set');
    await shot(page, 'campaign-company-unset');
    await page.getByRole('button', { name: /Approve version \d+ of credentials/ }).click();
    const variantDialog = page.getByRole('dialog', { name: /Approve version \d+ of “credentials”\?/ });
    await variantDialog.waitFor();
    expect(await variantDialog.textContent()).toContain('The consistency check found nothing');
    expect(await variantDialog.textContent()).toContain('The company name is not set');
    await shot(page, 'campaign-approve-dialog');
    await variantDialog.getByRole('button', { name: 'Cancel' }).click();

    // The preview says who the sample is: only the person is invented.
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.getByText(/Only the person is invented/).waitFor();
    const email = page.frameLocator('iframe[sandbox]').first();
    await email.getByText('What information was involved').waitFor();
    expect(await email.locator('body').textContent()).toContain('your payment card details');
    await shot(page, 'campaign-preview');

    // The incident's public title, apart from its internal one.
    await page.goto(`${origin}/incidents/${incidentId}`);
    await page.getByRole('button', { name: 'Edit details' }).click();
    expect(await page.getByLabel('Public name (English)').inputValue()).toBe(
      'Security incident affecting customer data',
    );
    await shot(page, 'incident-public-title');
    await page.keyboard.press('Escape');

    // The company's wording settings.
    await page.goto(`${origin}/settings/wording`);
    await heading(page, 'Notice wording').waitFor();
    await shot(page, 'settings-wording');
    await expectAccessible(page, 'settings-wording');
    await page.goto(`${origin}/settings/branding`);
    await page.getByText('The company is not named yet').waitFor();
    await shot(page, 'settings-branding-unset');
    expect(errors).toEqual([]);
  });
});
