import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompanyProfile } from '../../src/shared/contracts/obligations.ts';
import { type Client, clientFor, createIncident, ok } from '../incidents/helpers.ts';
import { createSignedInUser, createTestApp, type TestApp } from '../support/app.ts';
import { pdfPages } from '../support/pdf-text.ts';
import { csv, importPeople, peopleHeader, peopleMapping } from './helpers.ts';

/** The regulator report PDF prints times as people read them: the company's zone, named, in English. */
let t: TestApp;
let legal: Client;
let admin: Client;
let responder: Client;
const AWARE = '2026-01-15T03:30:00.000Z';

beforeAll(async () => {
  t = await createTestApp();
  legal = clientFor(t, await createSignedInUser(t, 'legal'));
  admin = clientFor(t, await createSignedInUser(t, 'admin'));
  responder = clientFor(t, await createSignedInUser(t, 'responder'));
});
afterAll(() => t.close());

const profile = (timezone: string): CompanyProfile => ({
  entity: { hipaa: false, sec: false, nydfs: false, ftc_safeguards: false },
  policyDays: 30,
  timezone,
});

describe('the regulator report PDF', () => {
  it('prints every time in the company’s zone, naming it, and no raw ISO timestamp', async () => {
    ok(await admin.put('/api/settings/company-profile', profile('America/New_York')));
    const id = (await createIncident(responder, { title: 'Customer database', awareAt: AWARE })).id;
    await importPeople(
      t,
      id,
      csv(peopleHeader, 'ann@example.com,Ann Avery,536-22-1001,,,US,CA'),
      peopleMapping,
    );
    const response = await legal.get(`/api/incidents/${id}/obligations/report?format=pdf`);
    expect(response.statusCode).toBe(200);
    const text = pdfPages(response.rawPayload).join('\n');
    expect(text).toContain('Times are in America/New_York');
    // 03:30 UTC on the 15th is 22:30 the evening before in New York (EST).
    expect(text).toContain('January 14, 2026 at 22:30 EST');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);

    // The JSON keeps ISO 8601 (machines read it) and says which zone the PDF uses.
    const json = ok<{ timezone: string; incident: { times: Record<string, string | null> } }>(
      await legal.get(`/api/incidents/${id}/obligations/report`),
    );
    expect(json.timezone).toBe('America/New_York');
    expect(json.incident.times.awareAt).toBe(AWARE);
  });
});
