import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, consoleNav, heading, setUpFirstAdmin } from './support/console.ts';
import { repoRoot } from './support/paths.ts';
import { bootstrapLink } from './support/server.ts';
import { setUpConsoleSuite } from './support/suite.ts';

/**
 * The public notice site in Chromium, the way an affected person meets it: read the notice, ask "was I
 * affected?", open the personal page from the message that arrives (the embedded outbox), leave feedback,
 * write to the company; every public page checked with axe-core (no serious or critical violations).
 */
const admin = {
  email: 'nina.notice@example.test',
  password: `Candor e2e ${crypto.randomBytes(9).toString('base64url')}`,
  displayName: 'Nina Notice',
};
/** A person of the demo breach (examples/crm-customers.csv) with an SSN and an email address. */
const affectedEmail = 'wen.garcia.263@mail.example';
const shotsDir = '/tmp/shots';
const axeSource = fs.readFileSync(path.join(repoRoot, 'node_modules/axe-core/axe.min.js'), 'utf8');

const suite = setUpConsoleSuite();

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** Runs axe-core on the page (WCAG 2.1 A and AA rules) and fails on serious or critical violations. */
async function expectAccessible(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(shotsDir, `notice-site-${name}.png`), fullPage: true });
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run: (o: unknown) => Promise<{ violations: unknown[] }> } }
    ).axe;
    const result = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations;
  });
  const blocking = (violations as AxeViolation[]).filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  expect(
    blocking.map(
      (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    ),
    `axe on ${name}`,
  ).toEqual([]);
}

async function outboxMessages(context: BrowserContext, origin: string, incidentId: string) {
  const response = await context.request.get(`${origin}/api/incidents/${incidentId}/notice-site/outbox`);
  expect(response.status()).toBe(200);
  return ((await response.json()) as { messages: Array<{ kind: string; to: string; text: string }> })
    .messages;
}

describe('the public notice site in Chromium', () => {
  it('reads the notice, looks up, opens the personal page from the message, leaves feedback, writes to us', async () => {
    fs.mkdirSync(shotsDir, { recursive: true });
    const origin = suite.server.origin;

    // Staff: the first admin loads the demo breach, whose notice is published.
    const staff = await suite.newContext({ viewport: { width: 1280, height: 900 } });
    const console = await staff.newPage();
    const consoleErrors = collectPageErrors(console);
    await setUpFirstAdmin(console, await bootstrapLink(suite.server), admin);
    await consoleNav(console).getByRole('link', { name: 'Incidents' }).click();
    await console.getByRole('button', { name: 'Load the demo breach' }).click();
    await console.waitForURL(/\/incidents\/[0-9a-f-]{36}/);
    const incidentId = /\/incidents\/([0-9a-f-]{36})/.exec(console.url())![1]!;
    await console.getByRole('tab', { name: 'Notice site' }).click();
    const publicLink = console.getByRole('link', { name: 'Open public page' });
    await publicLink.waitFor();
    const noticeUrl = new URL((await publicLink.getAttribute('href'))!);
    await console.screenshot({ path: path.join(shotsDir, 'notice-site-console.png'), fullPage: true });

    // The public: a phone-sized browser, no session. bypassCSP lets axe-core be injected for the checks.
    const visitor = await suite.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    const page = await visitor.newPage();
    const pageErrors = collectPageErrors(page);
    await page.goto(noticeUrl.toString());
    await heading(page, 'Notice of a data security incident at Example Shop').waitFor();
    await page.getByRole('heading', { name: 'What information was involved' }).waitFor();
    await expectAccessible(page, 'notice');

    await page.getByRole('link', { name: 'Español' }).click();
    await heading(page, 'Aviso de un incidente de seguridad de datos en Example Shop').waitFor();
    await expectAccessible(page, 'notice-es');
    await page.getByRole('link', { name: 'English' }).click();

    await page.getByRole('link', { name: 'Check', exact: true }).click();
    await heading(page, 'Check whether you were affected').waitFor();
    await expectAccessible(page, 'lookup');
    await page.getByLabel('Email address or phone number').fill(affectedEmail);
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByText('Check your messages').waitFor();
    expect(page.url()).not.toContain('@');
    await expectAccessible(page, 'lookup-sent');

    // The answer arrives at the address itself (the embedded outbox, read by staff here).
    let link = '';
    await expect
      .poll(
        async () => {
          const message = (await outboxMessages(staff, origin, incidentId)).find(
            (m) => m.kind === 'lookup' && m.to === affectedEmail,
          );
          link = /https?:\/\/\S+\/me\/\S+/.exec(message?.text ?? '')?.[0] ?? '';
          return link;
        },
        { timeout: 15_000, interval: 250 },
      )
      .not.toBe('');

    await page.goto(link);
    await heading(page, 'What this incident means for you').waitFor();
    expect(new URL(page.url()).pathname).toBe(`${noticeUrl.pathname}/me`);
    const body = await page.locator('main').textContent();
    expect(body).toContain('w•••@mail.example');
    expect(body).not.toContain(affectedEmail);
    expect(body).toContain('Your national identification number');
    await expectAccessible(page, 'personal');

    await page.getByLabel(/4 · Happy/).check();
    await page.getByLabel('Anything you want to tell us (optional)').fill('Clear and quick, thank you.');
    await page.getByRole('button', { name: 'Send feedback' }).click();
    await page.getByText('Thank you for your feedback.').waitFor();
    await expectAccessible(page, 'personal-feedback');

    await page.goto(noticeUrl.toString());
    await page.getByRole('link', { name: 'Use our contact form' }).click();
    await heading(page, 'Contact us').waitFor();
    await expectAccessible(page, 'contact');
    await page.getByRole('button', { name: 'Send' }).click();
    // The browser's own check stops an empty required field; the server's messages show when it passes.
    await page.getByLabel('Your name').fill('Wen García');
    await page.getByLabel('Your email address').fill(affectedEmail);
    await page.getByLabel('Your question').fill('Do I need to replace my ID card?');
    await page.getByRole('button', { name: 'Send' }).click();
    await heading(page, 'Thank you, we have your message').waitFor();
    await expectAccessible(page, 'contact-sent');

    await page.goto(`${noticeUrl}/verify`);
    await expectAccessible(page, 'verify');
    await page.getByLabel('Verification code').fill('not-a-code');
    await page.getByRole('button', { name: 'Check code' }).click();
    await page.getByText('A verification code has 12 letters and digits').waitFor();
    await expectAccessible(page, 'verify-malformed');

    await page.goto(`${noticeUrl}/subscribe`);
    await expectAccessible(page, 'subscribe');
    await page.goto(`${noticeUrl}/me/not-a-token.forged`);
    await heading(page, 'This link no longer works').waitFor();
    await expectAccessible(page, 'link-invalid');

    // Staff see the feedback and the contact confirmation went out.
    await expect
      .poll(
        async () => (await outboxMessages(staff, origin, incidentId)).some((m) => m.kind === 'contact_ack'),
        {
          timeout: 15_000,
          interval: 250,
        },
      )
      .toBe(true);
    const stats = await staff.request.get(`${origin}/api/incidents/${incidentId}/notice-site/stats`);
    const figures = (await stats.json()) as { feedback: { count: number; distribution: number[] } };
    expect(figures.feedback.count).toBe(1);
    expect(figures.feedback.distribution[3]).toBe(1);
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
