import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, consoleNav, heading, setUpFirstAdmin } from './support/console.ts';
import { bootstrapLink } from './support/server.ts';
import { setUpConsoleSuite } from './support/suite.ts';

const admin = {
  email: 'counsel@example.test',
  password: `Candor e2e ${crypto.randomBytes(9).toString('base64url')}`,
  displayName: 'Casey Counsel',
};
const incidentTitle = 'Test: payroll export emailed to the wrong client';
const shotsDir = '/tmp/shots';
const HOUR = 3_600_000;

const suite = setUpConsoleSuite();
const dialog = (page: Page, name: string | RegExp) => page.getByRole('dialog', { name });

/** A datetime-local value (browser time zone, which is this process's) for a time `hoursAgo` hours back. */
function localInput(hoursAgo: number): string {
  const d = new Date(Date.now() - hoursAgo * HOUR);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Pages whole; dialogs as seen (the overlay covers only the viewport). */
async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: path.join(shotsDir, `${name}.png`), fullPage });
}

describe('incident workspace and obligations', () => {
  it('creates and works an incident, then decides an obligation of the demo breach with its countdowns', async () => {
    fs.mkdirSync(shotsDir, { recursive: true });
    const context = await suite.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const pageErrors = collectPageErrors(page);
    await setUpFirstAdmin(page, await bootstrapLink(suite.server), admin);

    // The demo breach brings affected people across the US, EU, UK and Canada, hence obligations.
    await heading(page, 'Incidents').waitFor();
    await page.getByRole('button', { name: 'Load the demo breach' }).click();
    await page.waitForURL(/\/incidents\/[0-9a-f-]{36}\/people$/, { timeout: 60_000 });
    const demoId = /\/incidents\/([0-9a-f-]{36})\//.exec(page.url())![1]!;

    // A new incident, through the console.
    await consoleNav(page).getByRole('link', { name: 'Incidents' }).click();
    await page.getByRole('button', { name: 'New incident' }).click();
    const newIncident = dialog(page, 'New incident');
    await newIncident.getByLabel('Title').fill(incidentTitle);
    await newIncident.getByRole('button', { name: 'Create incident' }).click();
    await page.waitForURL(/\/incidents\/[0-9a-f-]{36}\/people$/);
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.waitForURL(/\/incidents\/[0-9a-f-]{36}$/);
    const keyTimes = page.getByRole('region', { name: 'Key times' });
    await keyTimes.waitFor();
    expect(await page.getByText('Status: Suspected', { exact: true }).isVisible()).toBe(true);
    expect(await keyTimes.getByText('Not set', { exact: true }).count()).toBe(7);

    // Key times: the console refuses impossible times before sending, and a change needs a reason.
    await keyTimes.getByRole('button', { name: 'Edit times' }).click();
    const times = dialog(page, 'Edit key times');
    await times.getByRole('textbox', { name: 'Occurred (start)' }).fill(localInput(48));
    await times.getByRole('textbox', { name: 'Detected (first signal)' }).fill(localInput(72));
    await times.getByText('These times cannot all be true').waitFor();
    expect(await times.getByRole('alert').textContent()).toMatch(/cannot be before occurred \(start\)/);
    await times.getByRole('textbox', { name: 'Detected (first signal)' }).fill(localInput(24));
    expect(await times.getByText('These times cannot all be true').count()).toBe(0);
    await times.getByRole('button', { name: 'Save times' }).click();
    await times.getByText('Say why the times change (at least 3 characters).').waitFor();
    await times
      .getByLabel('Reason for the change')
      .fill('Mail server logs show the first misdirected email.');
    await shot(page, 'overview-edit-times', false);
    await times.getByRole('button', { name: 'Save times' }).click();
    await times.waitFor({ state: 'hidden' });
    // Occurred and detected are set now; the other six (aware aside) are still open.
    expect(await keyTimes.getByText('Not set', { exact: true }).count()).toBe(5);

    // The lifecycle: the header offers only the statuses allowed from here.
    await page.getByRole('button', { name: 'Move to…' }).click();
    await page.getByRole('menuitem').first().waitFor();
    expect(await page.getByRole('menuitem').allInnerTexts()).toEqual([
      expect.stringContaining('Investigating'),
      expect.stringContaining('Closed'),
    ]);
    await page.getByRole('menuitem', { name: /Investigating/ }).click();
    const move = dialog(page, 'Move to Investigating');
    await move.getByLabel('Note (optional)').fill('Client confirmed receipt; forensics engaged.');
    await move.getByRole('button', { name: 'Move to Investigating' }).click();
    await page.getByText('Status: Investigating', { exact: true }).waitFor();
    await page.getByRole('figure', { name: 'Response timings' }).waitFor();
    await move.waitFor({ state: 'hidden' });
    await shot(page, 'overview');

    // Timeline: newest first, with the reason and the note; a note can be added.
    await page.getByRole('tab', { name: 'Timeline' }).click();
    const events = page.getByRole('list', { name: 'Timeline events' });
    await events.waitFor();
    const first = events.getByRole('listitem').first();
    expect(await first.textContent()).toContain('Client confirmed receipt; forensics engaged.');
    await events.getByText(/Reason: Mail server logs show the first misdirected email\./).waitFor();
    await page
      .getByRole('textbox', { name: 'Add a note' })
      .fill('Asked the client to delete the file and confirm in writing.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await events
      .getByRole('listitem')
      .first()
      .getByText('Asked the client to delete the file and confirm in writing.')
      .waitFor();
    await shot(page, 'timeline');

    // Tasks: create one due in half an hour, whose countdown ticks each second, then finish it.
    await page.getByRole('tab', { name: 'Tasks' }).click();
    const newTask = page.getByRole('form', { name: 'New task' });
    await newTask.getByRole('textbox', { name: /^Task/ }).fill('Collect the deletion confirmation');
    await newTask.getByRole('textbox', { name: 'Due' }).fill(localInput(-0.5));
    await newTask.getByRole('button', { name: 'Add task' }).click();
    const tasks = page.getByRole('table', { name: 'Tasks' });
    const taskRow = tasks.getByRole('row', { name: /Collect the deletion confirmation/ });
    await taskRow.waitFor();
    const countdown = taskRow.getByText(/^\d+ min \d+ s left$/);
    const before = await countdown.textContent();
    await page.waitForTimeout(1_500);
    expect(await countdown.textContent()).not.toBe(before);
    await shot(page, 'tasks');
    await taskRow.getByRole('combobox', { name: 'Status of Collect the deletion confirmation' }).click();
    await page.getByRole('option', { name: 'Done' }).click();
    await page.getByText('No open tasks: 1 task is done or cancelled.').waitFor();

    // The demo's obligations: live countdowns, sorted by due, with the disclaimer.
    await page.goto(`${suite.server.origin}/incidents/${demoId}/obligations`);
    await page.getByText(/It is not legal advice/).waitFor();
    expect(await page.getByText(/It is not legal advice/).isVisible()).toBe(true);
    const euRegulator = page.getByRole('article', { name: /^European Union .*: Notice to the regulator$/ });
    const caIndividuals = page.getByRole('article', { name: 'California: Notice to individuals' });
    expect(await euRegulator.textContent()).toMatch(/\d+ h \d+ min left|overdue by/);
    expect(await caIndividuals.textContent()).toMatch(/\d+ d \d+ h left/);
    expect(await caIndividuals.textContent()).toContain('Cal. Civ. Code');
    const titles = await page.getByRole('article').getByRole('heading').allTextContents();
    const euAt = titles.findIndex((t) => /^European Union .*: Notice to the regulator$/.test(t));
    expect(euAt).toBeGreaterThanOrEqual(0);
    expect(euAt).toBeLessThan(titles.indexOf('California: Notice to individuals'));
    await page.getByRole('region', { name: /Regimes that do not apply/ }).waitFor();
    await shot(page, 'obligations');

    // A "not required" decision needs reasons; once recorded, the obligation shows it.
    const euIndividuals = page.getByRole('article', { name: /^European Union .*: Notice to individuals$/ });
    await euIndividuals.getByRole('button', { name: 'Record decision' }).click();
    const decide = dialog(page, /^Record a decision: European Union/);
    await decide.getByRole('radio', { name: /Not required/ }).check();
    await decide.getByRole('button', { name: 'Record decision' }).click();
    await decide.getByText(/Say why this notice is not required/).waitFor();
    const reasons = 'Art. 34(3)(a): the exposed order data was pseudonymised; no high risk to individuals.';
    await decide.getByLabel('Reasons').fill(reasons);
    await shot(page, 'obligations-decision', false);
    await decide.getByRole('button', { name: 'Record decision' }).click();
    await decide.waitFor({ state: 'hidden' });
    const decision = euIndividuals.getByRole('group', { name: 'Decision' });
    await decision.getByText(reasons).waitFor();
    expect(await decision.textContent()).toContain(`Marked not required by ${admin.displayName}`);
    expect(await euIndividuals.getByText('Not required', { exact: true }).isVisible()).toBe(true);
    expect(await page.getByRole('group', { name: 'Not required' }).textContent()).toContain('1');
    await euIndividuals.getByRole('button', { name: 'Details' }).click();
    await euIndividuals.getByText('Decision history').waitFor();
    await euIndividuals.screenshot({ path: path.join(shotsDir, 'obligations-decided.png') });

    // The regulator-ready report downloads with the session.
    const pdfHref = await page.getByRole('link', { name: 'Full report (PDF)' }).getAttribute('href');
    const pdf = await page.request.get(`${suite.server.origin}${pdfHref}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');

    // Deadlines across incidents: the decided notice has left the list; the others count down.
    await consoleNav(page).getByRole('link', { name: 'Deadlines' }).click();
    await heading(page, 'Deadlines').waitFor();
    const upcoming = page.getByRole('table', { name: 'Upcoming deadlines' });
    await upcoming.waitFor();
    const rows = await upcoming.locator('tbody tr').allInnerTexts();
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.some((row) => /California/.test(row) && /\d+ d \d+ h left/.test(row))).toBe(true);
    expect(rows.some((row) => /European Union/.test(row) && /Notice to individuals/.test(row))).toBe(false);
    expect(await page.getByText(/It is not legal advice/).isVisible()).toBe(true);
    await shot(page, 'deadlines');

    // The company profile changes the policy target every deadline without a fixed period uses.
    await consoleNav(page).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Company' }).click();
    const policyDays = page.getByLabel('Policy target for notices without a fixed deadline');
    await policyDays.fill('45');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved. Deadlines now use these settings.').waitFor();
    await shot(page, 'settings-company');
    await page.goto(`${suite.server.origin}/incidents/${demoId}/obligations`);
    await page.getByText(/policy target 45 days after awareness/).waitFor();

    await consoleNav(page).getByRole('link', { name: 'Incidents' }).click();
    await page.getByRole('figure', { name: 'Response timings' }).waitFor();
    await shot(page, 'incidents');

    expect(pageErrors).toEqual([]);
  });
});
