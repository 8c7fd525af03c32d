import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, consoleNav, setUpFirstAdmin } from './support/console.ts';
import { bootstrapLink } from './support/server.ts';
import { setUpConsoleSuite } from './support/suite.ts';

/**
 * A merge decision in Chromium (issue 21): the card answers at once, and a banner follows the incident's
 * re-resolution in the background (held here where it counts people, so the running phase can be seen),
 * then shows the new number of people and the page's counts follow.
 */
const admin = {
  email: 'cole.conflicts@example.test',
  password: `Candor e2e ${crypto.randomBytes(9).toString('base64url')}`,
  displayName: 'Cole Conflicts',
};
const shotsDir = '/tmp/shots';
const HOLD_KEY = 73_170_044;

const suite = setUpConsoleSuite();

/** Makes the next resolutions wait (inside their transaction) where they count people, until released. */
async function holdResolutions(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('SELECT pg_advisory_lock($1)', [HOLD_KEY]);
  await client.query(`
    CREATE FUNCTION e2e_hold() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_advisory_xact_lock_shared(${HOLD_KEY}); RETURN NULL; END $$;
    CREATE TRIGGER e2e_hold BEFORE INSERT ON people_cells FOR EACH STATEMENT EXECUTE FUNCTION e2e_hold();`);
  return async () => {
    await client.query('SELECT pg_advisory_unlock($1)', [HOLD_KEY]);
    await client.query('DROP TRIGGER e2e_hold ON people_cells; DROP FUNCTION e2e_hold();');
    await client.end();
  };
}

describe('conflict decisions in Chromium', () => {
  it('a merge answers at once; a banner follows the re-resolution, then shows the new count', async () => {
    fs.mkdirSync(shotsDir, { recursive: true });
    const origin = suite.server.origin;
    const staff = await suite.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await staff.newPage();
    const pageErrors = collectPageErrors(page);
    await setUpFirstAdmin(page, await bootstrapLink(suite.server), admin);
    await consoleNav(page).getByRole('link', { name: 'Incidents' }).click();
    await page.getByRole('button', { name: 'Load the demo breach' }).click();
    await page.waitForURL(/\/incidents\/[0-9a-f-]{36}/);
    const incidentId = /\/incidents\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    const peopleBefore = (
      (await (await staff.request.get(`${origin}/api/incidents/${incidentId}/people/stats`)).json()) as {
        people: number;
      }
    ).people;

    await page.goto(`${origin}/incidents/${incidentId}/people`);
    const card = page
      .getByRole('article')
      .filter({ hasText: /^Same .*different/ })
      .first();
    await card.getByRole('button', { name: 'Merge' }).click();
    const release = await holdResolutions(suite.database.url);
    let isReleased = false;
    try {
      await page.getByRole('dialog').getByRole('button', { name: 'Merge' }).click();
      const banner = page.getByRole('status').filter({ hasText: 'Re-resolving people after your decisions' });
      await banner.getByText('Re-resolving people after your decisions: counting people…').waitFor();
      await banner.screenshot({ path: path.join(shotsDir, 'people-conflicts-re-resolving.png') });
      // Until the run commits, the page counts the people from before the decision.
      const peopleCard = page.getByRole('group', { name: 'People', exact: true });
      await peopleCard.getByText(peopleBefore.toLocaleString('en-US'), { exact: true }).waitFor();
      await release();
      isReleased = true;
    } finally {
      if (!isReleased) await release();
    }
    const done = page.getByRole('status').filter({ hasText: 'People re-resolved after your decisions' });
    await done.waitFor();
    const after = (
      (await (await staff.request.get(`${origin}/api/incidents/${incidentId}/people/stats`)).json()) as {
        people: number;
      }
    ).people;
    expect(after).toBe(peopleBefore - 1);
    await done.getByText(new RegExp(`^${after.toLocaleString('en-US')} affected people now`)).waitFor();
    await done.screenshot({ path: path.join(shotsDir, 'people-conflicts-re-resolved.png') });
    // The page's counts follow without a reload.
    await page
      .getByRole('group', { name: 'People', exact: true })
      .getByText(after.toLocaleString('en-US'), { exact: true })
      .waitFor();

    // A run that fails (the disk fills up) says so and offers to run it again.
    const db = new pg.Client({ connectionString: suite.database.url });
    await db.connect();
    try {
      await db.query(`
        CREATE FUNCTION e2e_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'could not extend file' USING ERRCODE = '53100'; END $$;
        CREATE TRIGGER e2e_disk_full BEFORE INSERT ON people_cells
          FOR EACH STATEMENT EXECUTE FUNCTION e2e_disk_full();`);
      await card.getByRole('button', { name: 'Merge' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Merge' }).click();
      const failed = page
        .getByRole('alert')
        .filter({ hasText: 'Re-resolving people after your decisions failed' });
      await failed.getByText(/PostgreSQL error 53100/).waitFor();
      await failed.screenshot({ path: path.join(shotsDir, 'people-conflicts-re-resolve-failed.png') });
    } finally {
      await db.query(
        'DROP TRIGGER IF EXISTS e2e_disk_full ON people_cells; DROP FUNCTION IF EXISTS e2e_disk_full();',
      );
      await db.end();
    }
    await page.getByRole('button', { name: 'Try again' }).click();
    await done.waitFor();
    await page
      .getByRole('group', { name: 'People', exact: true })
      .getByText((after - 1).toLocaleString('en-US'), { exact: true })
      .waitFor();
    expect(pageErrors).toEqual([]);
  });
});
