import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Download, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, consoleNav, heading, setUpFirstAdmin } from './support/console.ts';
import { bootstrapLink } from './support/server.ts';
import { setUpConsoleSuite } from './support/suite.ts';

const password = () => `Candor e2e ${crypto.randomBytes(9).toString('base64url')}`;
const admin = { email: 'cam.comms@example.test', password: password(), displayName: 'Cam Comms' };
const legal = { email: 'lena.legal@example.test', password: password() };
const campaignName = 'Console notice (from the example)';
/** A person of the demo breach (examples/crm-customers.csv), found exactly for the real-person preview. */
const demoPersonEmail = 'tariq.okafor.369@post.example';
const shotsDir = '/tmp/shots';

const suite = setUpConsoleSuite();

async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: path.join(shotsDir, `campaign-${name}.png`), fullPage });
}

/**
 * Follows a colleague's setup link as they would: password, authenticator (the code computed from the secret
 * shown, like an app would), recovery codes saved.
 */
async function setUpInvitedUser(page: Page, setupUrl: string, newPassword: string): Promise<void> {
  await page.goto(setupUrl);
  await page.getByRole('heading', { name: /^Set a password for / }).waitFor();
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(newPassword);
  await page.getByLabel('Confirm password').fill(newPassword);
  await page.getByLabel('Display name').fill('Lena Legal');
  await page.getByRole('button', { name: 'Set password and continue' }).click();
  await heading(page, 'Set up your authenticator app').waitFor();
  const secret = (await page.getByRole('textbox', { name: 'Secret key' }).inputValue()).replace(/\s+/g, '');
  const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
  await page.getByLabel('6-digit code').fill(totp.generate());
  await page.getByRole('button', { name: 'Confirm code' }).click();
  await heading(page, 'Save your recovery codes').waitFor();
  await page.getByLabel('I have saved these codes').check();
  await page.getByRole('button', { name: 'Continue to Candor' }).click();
  await consoleNav(page).waitFor();
}

const variantSection = (page: Page, name: string) => page.getByRole('region', { name: `Variant: ${name}` });
const variantCard = (page: Page, name: string): Locator => page.getByRole('article', { name, exact: true });
/** A choice in a segmented control, named by the control's label. */
const choose = (page: Page, group: string, option: string) =>
  page.getByRole('radiogroup', { name: group }).getByText(option, { exact: true }).click();

describe('notice campaigns in the console', () => {
  it('writes a campaign from the example, previews it, has legal approve it, sends it and reads the outbox', async () => {
    fs.mkdirSync(shotsDir, { recursive: true });
    const context = await suite.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const pageErrors = collectPageErrors(page);
    await setUpFirstAdmin(page, await bootstrapLink(suite.server), admin);

    // The demo breach brings ~1,000 affected people and an approved demo campaign.
    await heading(page, 'Incidents').waitFor();
    await page.getByRole('button', { name: 'Load the demo breach' }).click();
    await page.waitForURL(/\/incidents\/[0-9a-f-]{36}\/people$/, { timeout: 60_000 });
    const incidentId = /\/incidents\/([0-9a-f-]{36})\//.exec(page.url())![1]!;

    // The Campaigns tab lists the incident's campaigns; the demo's is approved and ready.
    await page.getByRole('tab', { name: 'Campaigns' }).click();
    await page.waitForURL(/\/campaigns$/);
    expect(await consoleNav(page).getByRole('link', { name: 'Campaigns' }).getAttribute('aria-current')).toBe(
      'page',
    );
    const demoCard = page.getByRole('article', { name: 'First notice to affected customers' });
    await demoCard.getByText('Approved, ready to start').waitFor();
    await shot(page, 'notices');

    // A new campaign, started from the example file.
    await page.getByRole('link', { name: 'New campaign' }).first().click();
    await heading(page, 'New campaign').waitFor();
    await page.getByRole('button', { name: 'Start from the example' }).click();
    await variantSection(page, 'identity').waitFor();
    expect(await page.getByRole('region', { name: /^Variant: / }).count()).toBe(3);
    await page.getByRole('textbox', { name: 'Campaign name' }).fill(campaignName);
    // Letters first: nearly everyone in the demo has a postal address, so the outbox fills with letters.
    await page.getByRole('button', { name: 'Move Letter up' }).click();
    await page.getByRole('button', { name: 'Move Letter up' }).click();
    const chain = page.getByRole('group', { name: 'Channels, in fallback order' });
    expect(await chain.getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringContaining('Letter'),
      expect.stringContaining('then Email'),
      expect.stringContaining('then SMS'),
    ]);

    // The SMS editor counts segments as one types: GSM-7 until a character outside it switches to UCS-2.
    const general = variantSection(page, 'general');
    await general.getByRole('tab', { name: /^SMS/ }).click();
    const sms = general.getByRole('textbox', { name: 'SMS text' });
    const original = await sms.inputValue();
    await sms.fill('A'.repeat(161));
    await general.getByText(/^2 segments · GSM-7 · 161 characters · 145 left in this segment/).waitFor();
    await sms.fill(`${'A'.repeat(69)}😀`);
    await general.getByText(/^2 segments · UCS-2 · 70 characters/).waitFor();
    await general.getByText(/UCS-2 because of “😀”/).waitFor();

    // A template the server cannot compile is refused, and the problem shows next to that editor.
    await sms.fill('{{ company.name }}: see {{ link }} — {{ person.shoe_size }}');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    const smsError = general.getByText(/general" \(en\) sms text.*shoe_size/);
    await smsError.waitFor();
    await page.getByRole('alert').filter({ hasText: 'The campaign was not saved' }).waitFor();
    await general.scrollIntoViewIfNeeded();
    await shot(page, 'new-validation', false);
    await sms.fill(original);
    await general.getByText(/^1 segment · GSM-7/).waitFor();
    await page.getByRole('button', { name: 'Create campaign' }).scrollIntoViewIfNeeded();
    await shot(page, 'new');
    await page.getByRole('button', { name: 'Create campaign' }).click();

    // The campaign page: waiting for legal, with reach and activation codes.
    await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);
    const campaignUrl = page.url();
    await heading(page, campaignName).waitFor();
    const blockers = page.getByRole('region', { name: 'Before it can start' });
    await blockers.getByText(/Waiting for approval by legal: "identity", "credentials", "general"/).waitFor();
    expect(await page.getByRole('button', { name: 'Start now' }).isDisabled()).toBe(true);
    await page.getByRole('figure', { name: 'Who the campaign reaches' }).waitFor();

    // Credit-monitoring codes: more than needed, pasted one per line.
    const codes = page.getByRole('region', { name: 'Credit-monitoring codes' });
    const lines = Array.from({ length: 1500 }, (_, i) => `E2E-${String(i).padStart(5, '0')}`);
    await codes.getByRole('textbox', { name: 'Import codes' }).fill(lines.join('\n'));
    await codes.getByRole('button', { name: 'Import codes' }).click();
    await codes.getByText('Imported 1,500 codes. 1,500 loaded in all.').waitFor();
    await codes.getByText(/codes? (is|are) needed/).waitFor({ state: 'detached' });

    // The author may not approve their own text: no Approve button for them, and the page says why.
    const identity = variantCard(page, 'identity');
    await identity.getByText(/You wrote this version, so you cannot approve it/).waitFor();
    expect(await identity.getByRole('button', { name: 'Approve version 1 of identity' }).count()).toBe(0);
    await shot(page, 'overview');

    // Editing opens the same form, filled in; saving it unchanged keeps every variant at version 1.
    await page.getByRole('link', { name: 'Edit' }).click();
    await heading(page, `Edit ${campaignName}`).waitFor();
    expect(await page.getByRole('textbox', { name: 'Campaign name' }).inputValue()).toBe(campaignName);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(campaignUrl);
    await variantCard(page, 'general')
      .getByText(/version 1 by /)
      .waitFor();

    // Preview: the sample person's email in a sandboxed frame, then the SMS with its segment count.
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.getByRole('combobox', { name: 'Variant' }).click();
    await page.getByRole('option', { name: 'identity' }).click();
    await page.getByText('Dear Alex,').first().waitFor();
    await shot(page, 'preview-letter');
    await choose(page, 'Channel', 'Email');
    const frame = page.locator('iframe[title^="Preview: identity, en, Email"]');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('');
    await page
      .frameLocator('iframe[title^="Preview: identity, en, Email"]')
      .getByText('Dear Alex,')
      .waitFor();
    await shot(page, 'preview');
    await choose(page, 'Channel', 'SMS');
    await page.getByText(/^\d segments? · GSM-7 · \d+ characters$/).waitFor();
    await choose(page, 'Locale', 'es');
    await page.getByText(/un incidente de seguridad afectó a tus datos/).waitFor();
    await shot(page, 'preview-sms');

    // For a real person found by exact email (audited), then a test to the author's own address.
    await choose(page, 'Channel', 'Email');
    await page.getByRole('textbox', { name: 'Email address' }).fill(demoPersonEmail);
    await page.getByRole('button', { name: 'Preview for this person' }).click();
    await page.getByText(/^Real person, /).waitFor();
    await page.getByRole('button', { name: 'Send a test to my address' }).click();
    await page.getByText(/the test was kept in the staff outbox/).waitFor();
    await shot(page, 'preview-person');

    // A colleague with the legal role, invited from Settings → Users.
    await page.goto(`${suite.server.origin}/settings/users`);
    await page.getByRole('button', { name: 'Invite' }).click();
    const invite = page.getByRole('dialog', { name: 'Invite a user' });
    await invite.getByLabel('Email').fill(legal.email);
    await invite.getByRole('combobox', { name: 'Role' }).click();
    await page.getByRole('option', { name: /Legal/ }).click();
    await invite.getByRole('button', { name: 'Create setup link' }).click();
    const ready = page.getByRole('dialog', { name: 'Invitation ready' });
    const setupLink = await ready.getByRole('textbox', { name: 'Setup link' }).inputValue();
    await ready.getByRole('button', { name: 'Done' }).click();

    const legalContext = await suite.newContext({ viewport: { width: 1280, height: 900 } });
    const legalPage = await legalContext.newPage();
    const legalErrors = collectPageErrors(legalPage);
    await setUpInvitedUser(legalPage, setupLink, legal.password);
    await legalPage.goto(campaignUrl);
    await heading(legalPage, campaignName).waitFor();
    // Legal reads; only comms (and admins) start, pause or edit.
    expect(await legalPage.getByRole('button', { name: 'Start now' }).count()).toBe(0);
    for (const name of ['identity', 'credentials', 'general']) {
      const card = variantCard(legalPage, name);
      await card.getByRole('button', { name: `Approve version 1 of ${name}` }).click();
      // The dialog shows what the consistency check found on this variant before legal confirms.
      const dialog = legalPage.getByRole('dialog', { name: `Approve version 1 of “${name}”?` });
      await dialog.getByText(/The consistency check found nothing/).waitFor();
      await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
      await card.getByText(`Approved by ${legal.email} at version 1`, { exact: false }).waitFor();
    }
    await legalPage.getByRole('status').filter({ hasText: 'Ready to start' }).waitFor();
    await shot(legalPage, 'approved');
    expect(legalErrors).toEqual([]);

    // Back as the author: start now, and watch it go out.
    await page.goto(campaignUrl);
    await page.getByRole('status').filter({ hasText: 'Ready to start' }).waitFor();
    await page.getByRole('button', { name: 'Start now' }).click();
    const confirm = page.getByRole('dialog', { name: 'Start sending now?' });
    await confirm.getByText(/will be sent the notice \(Letter, then Email, then SMS\)/).waitFor();
    await confirm.getByRole('button', { name: 'Start now' }).click();
    await page.getByText('Status: Sending').or(page.getByText('Status: Finished')).first().waitFor();
    await page.getByRole('tab', { name: 'Progress' }).click();
    const progress = page.getByRole('progressbar', { name: `Progress of ${campaignName}` });
    await progress.waitFor();
    await page.getByRole('figure', { name: 'People by delivery state' }).waitFor();
    await shot(page, 'progress');
    // `candor serve` sends from the embedded outbox by itself; the page polls every two seconds.
    await page.getByText('Status: Finished').waitFor({ timeout: 120_000 });
    await expect.poll(() => progress.getAttribute('aria-valuenow')).toBe('100');
    await shot(page, 'finished');

    // Letters: a print batch downloads its PDF and manifest; a returned letter named from that manifest
    // bounces, and the person moves on to the next channel.
    const letters = page.getByRole('region', { name: 'Letters' });
    await letters.getByText('Waiting to print').waitFor();
    await letters.getByRole('textbox', { name: 'Letters in this batch' }).fill('20');
    const downloads: Download[] = [];
    page.on('download', (file) => downloads.push(file));
    await letters.getByRole('button', { name: 'Print the next batch' }).click();
    await letters.getByRole('status').filter({ hasText: 'Batch of 20 letters' }).waitFor({ timeout: 60_000 });
    await expect
      .poll(() => downloads.map((d) => path.extname(d.suggestedFilename())).sort())
      .toEqual(['.csv', '.pdf']);
    const manifest = downloads.find((d) => d.suggestedFilename().endsWith('.csv'))!;
    const rows = fs
      .readFileSync((await manifest.path())!, 'utf8')
      .trim()
      .split('\r\n');
    expect(rows[0]).toMatch(/^sequence,message_id,verification_code,/);
    expect(rows).toHaveLength(21);
    const returnedCode = rows[1]!.split(',')[2]!;
    await letters.getByRole('table', { name: 'Print batches' }).waitFor();
    await letters.getByRole('textbox', { name: 'Returned mail' }).fill(returnedCode);
    await letters.getByRole('button', { name: 'Import returned mail' }).click();
    await letters.getByText('1 letter marked returned.').waitFor();
    await letters.screenshot({ path: path.join(shotsDir, 'campaign-letters.png') });

    // The outbox: what each person received, with a reader pane; letters carry their address block.
    await page.getByRole('tab', { name: 'Outbox' }).click();
    const messages = page.getByRole('list', { name: 'Messages' });
    await messages.waitFor();
    await choose(page, 'Show messages sent by', 'Letter');
    await page.getByText(/^[\d,]+ messages · page 1$/).waitFor();
    expect(await messages.getByRole('listitem').count()).toBe(50);
    await messages.getByRole('button').nth(2).click();
    const letter = page.getByRole('region', { name: /^Letter to / });
    await letter.getByRole('group', { name: 'Address block' }).waitFor();
    await page.getByRole('button', { name: 'Older →' }).click();
    await page.getByText(/ messages · page 2$/).waitFor();
    await shot(page, 'outbox-letter');
    // Long links in a letter wrap instead of widening the page.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);

    // The demo's own campaign (approved by the demo's legal account) goes out by email.
    await page.getByRole('link', { name: '← All notices of this incident' }).click();
    await demoCard.getByRole('link', { name: 'First notice to affected customers' }).click();
    await page.getByRole('button', { name: 'Start now' }).click();
    await page
      .getByRole('dialog', { name: 'Start sending now?' })
      .getByRole('button', { name: 'Start now' })
      .click();
    await page.getByText('Status: Finished').waitFor({ timeout: 120_000 });
    await page.getByRole('tab', { name: 'Outbox' }).click();
    const mail = page.getByRole('region', { name: /^Email to / });
    await mail.locator('iframe[sandbox=""]').waitFor();
    await mail
      .frameLocator('iframe[sandbox=""]')
      .getByText(/^Dear /)
      .first()
      .waitFor();
    await shot(page, 'outbox', false);

    // The Campaigns section lists campaigns across incidents (with two incidents, no shortcut to one).
    await consoleNav(page).getByRole('link', { name: 'Incidents' }).click();
    await page.getByRole('button', { name: 'New incident' }).click();
    const newIncident = page.getByRole('dialog', { name: 'New incident' });
    await newIncident.getByLabel('Title').fill('Test: second incident without notices');
    await newIncident.getByRole('button', { name: 'Create incident' }).click();
    await page.waitForURL(/\/people$/);
    await consoleNav(page).getByRole('link', { name: 'Campaigns' }).click();
    await heading(page, 'Campaigns').waitFor();
    await page.getByRole('article', { name: campaignName }).getByText('Status: Finished').waitFor();
    await page.getByRole('article', { name: 'First notice to affected customers' }).waitFor();
    await page.getByRole('table', { name: 'Incidents and their campaigns' }).waitFor();
    await shot(page, 'index');
    expect(incidentId).toMatch(/^[0-9a-f-]{36}$/);

    expect(pageErrors).toEqual([]);
  }, 300_000);
});
