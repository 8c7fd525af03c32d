import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible } from './support/axe.ts';
import { collectPageErrors, consoleNav, heading, setUpFirstAdmin } from './support/console.ts';
import { bootstrapLink } from './support/server.ts';
import { setUpConsoleSuite } from './support/suite.ts';

/**
 * Every page of the staff console, with the demo breach loaded, checked with axe-core (WCAG 2.1 A and AA:
 * no serious or critical violation, colour contrast included) and for a title of its own. The sidebar
 * holds only sections that exist.
 */
const suite = setUpConsoleSuite();
const shotsDir = '/tmp/shots';
const admin = {
  email: 'ada.admin@example.test',
  password: `Candor e2e ${crypto.randomBytes(9).toString('base64url')}`,
  displayName: 'Ada Admin',
};

async function visit(page: Page, url: string, name: string, titles: Map<string, string>): Promise<void> {
  await page.goto(`${suite.server.origin}${url}`);
  await page.waitForLoadState('networkidle');
  await page
    .getByRole('main')
    .waitFor({ timeout: 15_000 })
    .catch(async (error: unknown) => {
      await page.screenshot({ path: path.join(shotsDir, `console-${name}-failed.png`), fullPage: true });
      throw error;
    });
  // Loaders gone: the page shows its data, not a skeleton.
  await expect.poll(() => page.locator('.mantine-Loader-root').count(), { timeout: 15_000 }).toBe(0);
  await page.screenshot({ path: path.join(shotsDir, `console-${name}.png`), fullPage: true });
  await expectAccessible(page, name);
  const title = await page.title();
  expect(title, `title of ${url}`).toMatch(/ · Candor$/);
  expect(title, `title of ${url}`).not.toBe('Candor');
  // Keyed by where the page landed: an index that forwards to the only incident's tab is that tab.
  titles.set(new URL(page.url()).pathname, title);
}

describe('the staff console, page by page', () => {
  it('meets WCAG 2.1 AA on every page, and each page has its own title', async () => {
    fs.mkdirSync(shotsDir, { recursive: true });
    const context = await suite.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await setUpFirstAdmin(page, await bootstrapLink(suite.server), admin);

    // Only sections that hold something: no empty "coming later" entries.
    const sections = await consoleNav(page).getByRole('link').allInnerTexts();
    expect(sections.map((s) => s.trim())).toEqual([
      'Incidents',
      'People',
      'Deadlines',
      'Campaigns',
      'Notice site',
      'Inbox',
      'Audit log',
      'Settings',
    ]);

    await page.goto(`${suite.server.origin}/incidents`);
    await page.getByRole('button', { name: 'Load the demo breach' }).click();
    await page.waitForURL(/\/incidents\/[0-9a-f-]{36}\/people$/, { timeout: 60_000 });
    const incidentId = /\/incidents\/([0-9a-f-]{36})\//.exec(page.url())?.[1] ?? '';
    const campaigns = (await (
      await context.request.get(`${suite.server.origin}/api/incidents/${incidentId}/campaigns`)
    ).json()) as { campaigns?: Array<{ id: string }> } | Array<{ id: string }>;
    const campaignId = (Array.isArray(campaigns) ? campaigns : (campaigns.campaigns ?? []))[0]?.id;
    expect(campaignId).toBeTruthy();
    const threads = (await (
      await context.request.get(`${suite.server.origin}/api/inbox/threads?status=open`)
    ).json()) as { threads: Array<{ id: string }> };
    const threadId = threads.threads[0]?.id;
    expect(threadId).toBeTruthy();

    const pages: Array<[string, string]> = [
      ['/incidents', 'incidents'],
      [`/incidents/${incidentId}`, 'incident-overview'],
      [`/incidents/${incidentId}/people`, 'incident-people'],
      [`/incidents/${incidentId}/obligations`, 'incident-obligations'],
      [`/incidents/${incidentId}/timeline`, 'incident-timeline'],
      [`/incidents/${incidentId}/tasks`, 'incident-tasks'],
      [`/incidents/${incidentId}/campaigns`, 'incident-campaigns'],
      [`/incidents/${incidentId}/campaigns/${campaignId}`, 'campaign'],
      [`/incidents/${incidentId}/campaigns/${campaignId}/edit`, 'campaign-edit'],
      [`/incidents/${incidentId}/notice-site`, 'notice-site'],
      ['/people', 'people'],
      ['/obligations', 'deadlines'],
      ['/campaigns', 'campaigns'],
      ['/notice-site', 'notice-sites'],
      ['/inbox', 'inbox'],
      [`/inbox/${threadId}`, 'inbox-thread'],
      ['/inbox/settings', 'inbox-settings'],
      ['/audit', 'audit'],
      ['/settings/users', 'settings-users'],
      ['/settings/company', 'settings-company'],
      ['/settings/branding', 'settings-branding'],
      ['/settings/tokens', 'settings-tokens'],
      ['/settings/security', 'settings-security'],
      ['/settings/keys', 'settings-keys'],
      ['/no-such-page', 'not-found'],
    ];
    const titles = new Map<string, string>();
    for (const [url, name] of pages) await visit(page, url, name, titles);
    // Distinct pages, distinct titles (a campaign's editor is not its overview).
    const repeated = [...titles.values()].filter((t, i, all) => all.indexOf(t) !== i);
    expect(repeated).toEqual([]);
    expect(titles.get('/no-such-page')).toBe('Page not found · Candor');

    // Signed out: the sign-in page too.
    const signedOut = await suite.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const signIn = await signedOut.newPage();
    await signIn.goto(`${suite.server.origin}/sign-in`);
    await heading(signIn, 'Sign in to Candor').waitFor();
    await expectAccessible(signIn, 'sign-in');
    expect(await signIn.title()).toBe('Sign in · Candor');
    expect(errors).toEqual([]);
  });
});
