import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, consoleNav, heading, setUpFirstAdmin } from './support/console.ts';
import { bootstrapLink } from './support/server.ts';
import { setUpConsoleSuite } from './support/suite.ts';

/**
 * The agent's flow in Chromium: a question arrives from an affected person through the notice site's contact
 * form; the agent sees "affected" but nothing that leaked, sends a code to the address on file, enters the
 * code the requester gives back, then sees the exposure, answers with a macro and solves the thread; the
 * requester rates the answer with one click and the agent sees the rating.
 */
const admin = {
  email: 'ada.agent@example.test',
  password: `Candor e2e ${crypto.randomBytes(9).toString('base64url')}`,
  displayName: 'Ada Agent',
};
/** A person of the demo breach (examples/crm-customers.csv): in Germany, with an email and a phone. */
const requester = 'wen.garcia.263@mail.example';
const shotsDir = '/tmp/shots';

const suite = setUpConsoleSuite();

async function siteOutbox(context: BrowserContext, origin: string, incidentId: string) {
  const response = await context.request.get(`${origin}/api/incidents/${incidentId}/notice-site/outbox`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { messages: Array<{ kind: string; to: string; text: string }> })
    .messages;
}

describe('the support inbox in Chromium', () => {
  it('receives, verifies through the address on file, answers with a macro, solves, sees the rating', async () => {
    fs.mkdirSync(shotsDir, { recursive: true });
    const origin = suite.server.origin;
    const staff = await suite.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await staff.newPage();
    const pageErrors = collectPageErrors(page);
    await setUpFirstAdmin(page, await bootstrapLink(suite.server), admin);
    await consoleNav(page).getByRole('link', { name: 'Incidents' }).click();
    await page.getByRole('button', { name: 'Load the demo breach' }).click();
    await page.waitForURL(/\/incidents\/[0-9a-f-]{36}/);
    const incidentId = /\/incidents\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    const overview = (await (
      await staff.request.get(`${origin}/api/incidents/${incidentId}/notice-site`)
    ).json()) as {
      publicUrl: string;
    };

    // A macro to answer with (the agent's saved answer).
    const macro = await staff.request.post(`${origin}/api/inbox/macros`, {
      headers: { 'x-csrf-token': await csrf(staff, origin) },
      data: {
        name: 'Is it real?',
        locale: 'en',
        subject: 'About your message',
        body: 'Hello {{ person.first_name | default: "there" }},\n\nYes, our notice about {{ incident.title }} is genuine.\n\n{{ company.name }}',
      },
    });
    expect(macro.status(), await macro.text()).toBe(200);

    // The requester writes through the public contact form.
    const visitor = await suite.newContext({ viewport: { width: 390, height: 844 } });
    const publicPage = await visitor.newPage();
    await publicPage.goto(`${overview.publicUrl}/contact`);
    await publicPage.getByLabel('Your name').fill('Wen García');
    await publicPage.getByLabel('Your email address').fill(requester);
    await publicPage
      .getByLabel('Your question')
      .fill('I got an email about a breach. Is this real or a scam?');
    await publicPage.getByRole('button', { name: 'Send' }).click();
    await heading(publicPage, 'Thank you, we have your message').waitFor();

    // The agent: the thread is in the inbox, tagged, linked, not verified.
    await consoleNav(page).getByRole('link', { name: 'Inbox' }).click();
    const threadLink = page.getByRole('link', { name: /Is this real or a scam/ });
    await threadLink.waitFor();
    await page.screenshot({ path: path.join(shotsDir, 'inbox-list.png'), fullPage: true });
    await threadLink.click();
    await page.getByText(/Affected in/).waitFor();
    const main = page.locator('main');
    await expect.poll(() => main.textContent()).not.toContain('national identification number');
    await page.screenshot({ path: path.join(shotsDir, 'inbox-thread-unverified.png'), fullPage: true });

    // Verification: the code goes to the address on file; the requester reads it out; the agent enters it.
    await page.getByRole('button', { name: 'Send verification code' }).click();
    let code = '';
    await expect
      .poll(
        async () => {
          const message = (await siteOutbox(staff, origin, incidentId)).find(
            (m) => m.kind === 'inbox_verification',
          );
          code = /\b(\d{6})\b/.exec(message?.text ?? '')?.[1] ?? '';
          return message?.to ?? '';
        },
        { timeout: 15_000, interval: 250 },
      )
      .toBe(requester);
    await page.getByLabel('Code from the requester').fill(code);
    await page.getByRole('button', { name: 'Confirm code' }).click();
    await page.getByText('your national identification number').waitFor();
    await page.screenshot({ path: path.join(shotsDir, 'inbox-thread-verified.png'), fullPage: true });

    // The answer: the macro, filled for this person, edited, sent, the thread solved.
    await page.getByRole('combobox', { name: 'Insert a macro' }).click();
    await page.getByRole('option', { name: /Is it real\?/ }).click();
    const reply = page.getByLabel('Reply');
    await expect.poll(() => reply.inputValue()).toContain('Hello Wen,');
    await reply.fill(`${await reply.inputValue()}\n\nYou can also check the code printed on our notice.`);
    await page.getByRole('button', { name: 'Send and mark solved' }).click();
    await page
      .getByText(/SOLVED/i)
      .first()
      .waitFor();

    // The reply and the satisfaction question reach the requester; one click rates the answer.
    let rateLink = '';
    await expect
      .poll(
        async () => {
          const messages = await siteOutbox(staff, origin, incidentId);
          const answer = messages.find((m) => m.kind === 'inbox_reply' && m.to === requester);
          const question = messages.find((m) => m.kind === 'inbox_csat' && m.to === requester);
          rateLink = /https?:\/\/\S+\/n\/_rate\/\S+/.exec(question?.text ?? '')?.[0] ?? '';
          return Boolean(
            answer?.text.includes('Hello Wen,') && answer.text.includes('check the code') && rateLink,
          );
        },
        { timeout: 15_000, interval: 250 },
      )
      .toBe(true);
    await publicPage.goto(rateLink);
    await publicPage.getByRole('button', { name: '4 · Very good' }).click();
    await publicPage.getByText('Thank you: your rating is recorded.').waitFor();

    await page.reload();
    await page.getByText('4 out of 5').waitFor();
    await page.screenshot({ path: path.join(shotsDir, 'inbox-thread-solved.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});

async function csrf(context: BrowserContext, origin: string): Promise<string> {
  const response = await context.request.get(`${origin}/api/auth/session`);
  const body = (await response.json()) as { csrfToken?: string };
  if (!body.csrfToken) throw new Error(`no CSRF token from /api/auth/session: ${JSON.stringify(body)}`);
  return body.csrfToken;
}
