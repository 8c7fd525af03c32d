import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, consoleNav, heading, setUpFirstAdmin } from './support/console.ts';
import { bootstrapLink } from './support/server.ts';
import { setUpConsoleSuite } from './support/suite.ts';

/**
 * The People section in Chromium with the demo breach loaded: each import row with its own conflicts and
 * its warnings by kind, the list of affected people with filters in the address and masked identifiers,
 * and a conflict card's masked values revealed on request.
 */
const admin = {
  email: 'pia.people@example.test',
  password: `Candor e2e ${crypto.randomBytes(9).toString('base64url')}`,
  displayName: 'Pia People',
};
const shotsDir = '/tmp/shots';

const suite = setUpConsoleSuite();

async function csrf(context: BrowserContext, origin: string): Promise<string> {
  const response = await context.request.get(`${origin}/api/auth/session`);
  const body = (await response.json()) as { csrfToken?: string };
  if (!body.csrfToken) throw new Error('no CSRF token from /api/auth/session');
  return body.csrfToken;
}

/** Imports a small file with warnings (a quote inside an unquoted field, a malformed phone) through the API. */
async function importWithWarnings(context: BrowserContext, origin: string, incidentId: string) {
  const headers = { 'x-csrf-token': await csrf(context, origin) };
  const file = [
    'email,phone,first_name,country',
    'quinn.o@example.com,+1 202 555 0190,Quinn "Q" O,US',
    'rae.p@example.com,not a phone,Rae,US',
    'sol.t@example.com,+1 202 555 0191,Sol,US',
  ].join('\n');
  const upload = await context.request.post(`${origin}/api/incidents/${incidentId}/uploads`, {
    headers: { ...headers, 'content-type': 'text/csv', 'x-file-name': 'late-additions.csv' },
    data: Buffer.from(`${file}\n`),
  });
  expect(upload.status(), await upload.text()).toBe(200);
  const { uploadId } = (await upload.json()) as { uploadId: string };
  const started = await context.request.post(`${origin}/api/incidents/${incidentId}/imports`, {
    headers,
    data: { uploadId },
  });
  expect(started.status(), await started.text()).toBe(200);
}

describe('the People section in Chromium', () => {
  it('shows per-import conflicts and warnings, lists people with filters, reveals a conflict', async () => {
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
    await importWithWarnings(staff, origin, incidentId);

    // Imports: each row its own conflicts (they add up to the open conflicts), warnings by kind.
    await page.goto(`${origin}/incidents/${incidentId}/people`);
    const imports = page.getByRole('table', { name: 'Imports' });
    await imports.getByText('late-additions.csv').waitFor();
    await imports.getByText(/1 quote taken literally/).waitFor();
    await imports.getByText(/1 malformed phone left out/).waitFor();
    const api = (await (await staff.request.get(`${origin}/api/incidents/${incidentId}/imports`)).json()) as {
      imports: Array<{ conflicts: number | null }>;
    };
    const stats = (await (
      await staff.request.get(`${origin}/api/incidents/${incidentId}/people/stats`)
    ).json()) as { conflicts: number };
    const perImport = api.imports.map((i) => i.conflicts ?? 0);
    expect(perImport.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(stats.conflicts);
    expect(new Set(perImport).size).toBeGreaterThan(1);
    await imports.screenshot({ path: path.join(shotsDir, 'people-imports.png') });

    await imports.getByRole('button', { name: 'Rows with warnings of late-additions.csv' }).click();
    const warnings = page.getByRole('dialog', { name: /Rows with warnings of late-additions.csv/ });
    const warningRows = warnings.getByRole('table', { name: 'Rows with warnings' }).getByRole('row');
    await warningRows.nth(2).waitFor();
    expect(await warningRows.allInnerTexts()).toEqual([
      expect.stringContaining('Reason'),
      expect.stringMatching(/^2\s+a quote inside an unquoted field/),
      expect.stringMatching(/^3\s+malformed phone/),
    ]);
    // Screenshot once the dialog's opening transition is over.
    await expect
      .poll(() =>
        warnings.evaluate(
          (el) =>
            (globalThis as unknown as { getComputedStyle(e: unknown): { opacity: string } }).getComputedStyle(
              el,
            ).opacity,
        ),
      )
      .toBe('1');
    await warnings.screenshot({ path: path.join(shotsDir, 'people-import-warnings.png') });
    await page.keyboard.press('Escape');

    // The list: masked identifiers, filters kept in the address (never an identifier), paging.
    await page.getByRole('link', { name: 'List affected people' }).click();
    await heading(page, 'Affected people').waitFor();
    const table = page.getByRole('table', { name: 'Affected people' });
    await table
      .getByText(/^[^@\s]•••@/)
      .first()
      .waitFor();
    await page.getByText(/ of [\d,]+ people shown/).waitFor();
    await page.getByRole('combobox', { name: 'Risk' }).click();
    await page.getByRole('option', { name: 'High' }).click();
    await page.waitForURL(/risk=high/);
    await page.getByRole('combobox', { name: 'Reachable by' }).click();
    await page.getByRole('option', { name: 'Email' }).click();
    await page.waitForURL(/reach=email/);
    expect(page.url()).not.toMatch(/@|%40/);
    await table.getByText('High').first().waitFor();
    expect(await table.getByText('Medium', { exact: true }).count()).toBe(0);
    await page.screenshot({ path: path.join(shotsDir, 'people-list.png') });
    const before = await table.getByRole('row').count();
    const more = page.getByRole('button', { name: /Show 50 more/ });
    if (await more.isVisible()) {
      await more.click();
      await expect.poll(() => table.getByRole('row').count()).toBeGreaterThan(before);
    }

    // A conflict card: masked values, revealed on request (audited), hidden again.
    await page.goto(`${origin}/incidents/${incidentId}/people`);
    const card = page
      .getByRole('article')
      .filter({ hasText: /^Same .*different/ })
      .first();
    await card.getByRole('table', { name: 'Record A identifiers' }).waitFor();
    await expect.poll(() => card.getByText(/•••/).count()).toBeGreaterThan(0);
    await card.screenshot({ path: path.join(shotsDir, 'people-conflict-masked.png') });
    await card.getByRole('button', { name: /Reveal the values/ }).click();
    await card.getByText('Shown in full. Your reveal is recorded in the audit log.').waitFor();
    await card.screenshot({ path: path.join(shotsDir, 'people-conflict-revealed.png') });
    await card.getByRole('button', { name: 'Hide the values' }).click();
    const audit = (await (
      await staff.request.get(`${origin}/api/audit?action=people.conflict_revealed`)
    ).json()) as { entries: Array<{ actorName: string | null }> };
    expect(audit.entries[0]?.actorName).toBe(admin.displayName);

    // The audit log names staff (display name), not their role.
    await consoleNav(page).getByRole('link', { name: 'Audit log' }).click();
    const log = page.getByRole('table').first();
    await log.getByText(admin.displayName).first().waitFor();
    await page.screenshot({ path: path.join(shotsDir, 'audit-names.png') });

    expect(pageErrors).toEqual([]);
  });
});
