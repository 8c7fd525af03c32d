import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, consoleNav, setUpFirstAdmin } from './support/console.ts';
import { bootstrapLink } from './support/server.ts';
import { setUpConsoleSuite } from './support/suite.ts';

/**
 * Without a mail server, a verification code lands in the notice site's outbox: the inbox thread says so
 * and links to the message by its id (no address in the link). Both outboxes find messages by recipient
 * (typed into a form, sent in a POST body, never put in the address bar) and filter by kind or state.
 */
const admin = {
  email: 'otto.outbox@example.test',
  password: `Candor e2e ${crypto.randomBytes(9).toString('base64url')}`,
  displayName: 'Otto Outbox',
};
const shotsDir = '/tmp/shots';

const suite = setUpConsoleSuite();

async function csrf(context: BrowserContext, origin: string): Promise<string> {
  const response = await context.request.get(`${origin}/api/auth/session`);
  const body = (await response.json()) as { csrfToken?: string };
  if (!body.csrfToken) throw new Error('no CSRF token from /api/auth/session');
  return body.csrfToken;
}

describe('outboxes in Chromium', () => {
  it('links a thread’s verification code to its outbox message, and finds messages by recipient', async () => {
    fs.mkdirSync(shotsDir, { recursive: true });
    const origin = suite.server.origin;
    const staff = await suite.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await staff.newPage();
    const pageErrors = collectPageErrors(page);
    const visited: string[] = [];
    page.on('framenavigated', (frame) => visited.push(frame.url()));
    page.on('request', (request) => visited.push(request.url()));
    await setUpFirstAdmin(page, await bootstrapLink(suite.server), admin);
    await consoleNav(page).getByRole('link', { name: 'Incidents' }).click();
    await page.getByRole('button', { name: 'Load the demo breach' }).click();
    await page.waitForURL(/\/incidents\/[0-9a-f-]{36}/);
    const incidentId = /\/incidents\/([0-9a-f-]{36})/.exec(page.url())![1]!;

    // A demo question from an affected person, not verified yet.
    const threads = (await (await staff.request.get(`${origin}/api/inbox/threads?status=open`)).json()) as {
      threads: Array<{ id: string; personLinked: boolean; verified: boolean; incidentId: string | null }>;
    };
    const thread = threads.threads.find((t) => t.personLinked && !t.verified && t.incidentId === incidentId);
    expect(thread).toBeDefined();
    await page.goto(`${origin}/inbox/${thread!.id}`);
    await page.getByRole('button', { name: 'Send verification code' }).click();
    const note = page.getByRole('article', { name: /^Note by Candor/ }).last();
    await note.getByText(/Kept in the outbox by (email|SMS)/).waitFor({ timeout: 20_000 });
    await note.screenshot({ path: path.join(shotsDir, 'outbox-thread-note.png') });

    // The link carries the outbox message's id, and opens that message with its text.
    await note.getByRole('link', { name: 'Open it in the notice site’s outbox' }).click();
    await page.waitForURL(/\/notice-site\?.*message=\d+/);
    await page.getByText('One message, linked from the inbox').waitFor();
    const messages = page.getByRole('list', { name: 'Messages the site sent' });
    await expect.poll(() => messages.getByRole('listitem').count()).toBe(1);
    const codeText = messages.getByLabel(/^Text of the message to /);
    await codeText.waitFor();
    expect(await codeText.textContent()).toMatch(
      /verification code is \d{6}|código de verificación es \d{6}/,
    );
    await page.screenshot({ path: path.join(shotsDir, 'outbox-site-linked.png') });
    const recipient = (await codeText.getAttribute('aria-label'))!.replace('Text of the message to ', '');

    // All messages again, then the recipient typed in: found in a POST, never in the address bar.
    await page.getByRole('button', { name: 'Show all messages' }).click();
    await page.getByRole('form', { name: 'Find messages by recipient' }).waitFor();
    await page.getByRole('textbox', { name: 'Recipient' }).fill(recipient.toUpperCase());
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await expect.poll(() => messages.getByRole('listitem').count()).toBeGreaterThan(0);
    await expect
      .poll(async () =>
        (await messages.getByRole('listitem').allInnerTexts()).every((t) => t.includes(recipient)),
      )
      .toBe(true);
    await page.getByRole('combobox', { name: 'Kind' }).click();
    await page.getByRole('option', { name: 'Verification code' }).click();
    await expect.poll(() => messages.getByRole('listitem').count()).toBe(1);
    await page.screenshot({ path: path.join(shotsDir, 'outbox-site-search.png') });

    // The campaign outbox: the demo campaign started, a recipient found, the state filter applied.
    const campaigns = (await (
      await staff.request.get(`${origin}/api/incidents/${incidentId}/campaigns`)
    ).json()) as { campaigns: Array<{ id: string }> };
    const campaignId = campaigns.campaigns[0]!.id;
    const started = await staff.request.post(`${origin}/api/campaigns/${campaignId}/start`, {
      headers: { 'x-csrf-token': await csrf(staff, origin) },
      data: {},
    });
    expect(started.status(), await started.text()).toBe(200);
    // The tab reads once (each read is audited): open it when the engine has sent something.
    await expect
      .poll(
        async () =>
          (
            (await (await staff.request.get(`${origin}/api/campaigns/${campaignId}/outbox`)).json()) as {
              total: number;
            }
          ).total,
        { timeout: 60_000, interval: 500 },
      )
      .toBeGreaterThan(0);
    await page.goto(`${origin}/incidents/${incidentId}/campaigns/${campaignId}?tab=outbox`);
    const mailbox = page.getByRole('list', { name: 'Messages' });
    await mailbox.getByRole('listitem').first().waitFor({ timeout: 60_000 });
    // The row's first line is the recipient (the address as the message was sent).
    const firstTo = (await mailbox.getByRole('listitem').first().locator('p').first().textContent())!.trim();
    await page.getByRole('textbox', { name: 'Recipient' }).fill(` ${firstTo} `);
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await expect.poll(() => page.getByText(/^1 messages? · page 1$/).count()).toBe(1);
    await page.getByRole('combobox', { name: 'Delivery state' }).click();
    await page.getByRole('option', { name: 'Sent', exact: true }).click();
    await page.screenshot({ path: path.join(shotsDir, 'outbox-campaign-search.png') });

    // No address ever went into a URL (pages or API calls).
    expect(
      visited.filter((url) => url.includes(recipient) || url.includes(encodeURIComponent(recipient))),
    ).toEqual([]);
    expect(
      visited.filter((url) => url.includes(firstTo) || url.includes(encodeURIComponent(firstTo))),
    ).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
