import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegulatorReport } from '../../src/server/modules/obligations/report.ts';
import type { CompanyProfile, ObligationsReport } from '../../src/shared/contracts/obligations.ts';
import {
  auditRows,
  type Client,
  clientFor,
  createIncident,
  ok,
  problem,
  timelineOf,
} from '../incidents/helpers.ts';
import { createSignedInUser, createTestApp, type SignedInUser, type TestApp } from '../support/app.ts';
import { csv, importPeople, peopleHeader, peopleMapping } from './helpers.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const AWARE = '2026-10-20T12:00:00.000Z';
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

let t: TestApp;
let legalUser: SignedInUser;
let responder: Client;
let legal: Client;
let admin: Client;

beforeAll(async () => {
  t = await createTestApp();
  responder = clientFor(t, await createSignedInUser(t, 'responder'));
  legalUser = await createSignedInUser(t, 'legal');
  legal = clientFor(t, legalUser);
  admin = clientFor(t, await createSignedInUser(t, 'admin'));
});
afterAll(() => t.close());

const obligationsOf = async (id: string) =>
  ok<ObligationsReport>(await legal.get(`/api/incidents/${id}/obligations`));
const find = (report: ObligationsReport, key: string) => {
  const found = report.obligations.find((o) => o.key === key);
  if (!found) throw new Error(`${key} not among ${report.obligations.map((o) => o.key).join(', ')}`);
  return found;
};
const decide = (id: string, key: string, body: Record<string, unknown>, client = legal) =>
  client.post(`/api/incidents/${id}/obligations/${key}/decision`, body);

/** 3 Californians with name + SSN, 2 with an email only, 2 French, 1 Texan (name + licence), 1 Louisianan. */
const breachFile = csv(
  peopleHeader,
  'ann@example.com,Ann Avery,536-22-1001,,,US,CA',
  'bob@example.com,Bob Brook,536-22-1002,,,US,CA',
  'cy@example.com,Cy Cole,536-22-1003,,,US,CA',
  'dee@example.com,,,,,US,CA',
  'eve@example.com,,,,,US,CA',
  'fleur@example.com,Fleur Faure,,,,FR,',
  'jean@example.com,Jean Dupont,,,,FR,',
  'tex@example.com,Tex Tate,,TX-12345678,,US,TX',
  'lou@example.com,Lou Leblanc,536-22-1009,,,US,LA',
);
const breachEmails = breachFile.match(/[a-z]+@example\.com/g)!;

describe('obligations of an incident with people', () => {
  let id: string;

  beforeAll(async () => {
    id = (await createIncident(responder, { title: 'Customer database', awareAt: AWARE })).id;
    const summary = await importPeople(t, id, breachFile, peopleMapping);
    expect(summary).toMatchObject({ accepted: 9, people: 9 });
  });

  it('California individuals: 3 affected (people with an email only do not meet the definition), 30 days', async () => {
    const report = await obligationsOf(id);
    expect(report.basis).toMatchObject({
      people: 9,
      unknownJurisdiction: 0,
      timezone: 'UTC',
      awareAt: AWARE,
    });
    expect(find(report, 'US-CA:individuals')).toMatchObject({
      affected: 3,
      status: 'open',
      dueAt: plus(AWARE, 30 * DAY),
      decision: null,
    });
  });

  it('the California AG notice is below its threshold, with the reason', async () => {
    const report = await obligationsOf(id);
    expect(report.obligations.map((o) => o.key)).not.toContain('US-CA:regulator');
    const na = report.notApplicable.find((n) => n.key === 'US-CA:regulator');
    expect(na).toMatchObject({ reasonCode: 'below_threshold', affected: 3 });
    expect(na?.reason).toContain('more than 500');
  });

  it('the EU supervisory authority is due 72 hours after awareness', async () => {
    const report = await obligationsOf(id);
    expect(find(report, 'EU:regulator')).toMatchObject({ affected: 2, dueAt: plus(AWARE, 72 * HOUR) });
    expect(find(report, 'US-TX:individuals').affected).toBe(1);
    expect(report.notApplicable.find((n) => n.key === 'US-TX:regulator')?.reasonCode).toBe('below_threshold');
    expect(report.notApplicable.find((n) => n.regime === 'GB')?.reasonCode).toBe('no_residents');
    expect(report.disclaimer).toContain('not legal advice');
  });

  it('a planned notice date moves the deadlines timed from it', async () => {
    // Louisiana: the AG within 10 days of the individual notice.
    const before = find(await obligationsOf(id), 'US-LA:regulator');
    expect(before).toMatchObject({ deadlineEstimated: true, dueAt: plus(AWARE, 70 * DAY) });
    const planned = plus(AWARE, 20 * DAY);
    ok(
      await responder.post(`/api/incidents/${id}/key-times`, {
        times: { plannedNoticeAt: planned },
        reason: 'Mailing house booked',
      }),
    );
    const report = await obligationsOf(id);
    expect(report.basis).toMatchObject({ individualNoticeAt: planned, individualNoticeSource: 'planned' });
    expect(find(report, 'US-LA:regulator')).toMatchObject({
      dueAt: plus(planned, 10 * DAY),
      deadlineEstimated: true,
    });
    const later = plus(AWARE, 25 * DAY);
    ok(
      await responder.post(`/api/incidents/${id}/key-times`, {
        times: { plannedNoticeAt: later },
        reason: 'Printer delayed',
      }),
    );
    expect(find(await obligationsOf(id), 'US-LA:regulator').dueAt).toBe(plus(later, 10 * DAY));
  });

  it('once the first notice is sent, its date replaces the plan and is no longer an estimate', async () => {
    const sent = plus(AWARE, 22 * DAY);
    ok(
      await responder.post(`/api/incidents/${id}/key-times`, {
        times: { firstNoticeAt: sent },
        reason: 'Letters posted',
      }),
    );
    const report = await obligationsOf(id);
    expect(report.basis).toMatchObject({ individualNoticeAt: sent, individualNoticeSource: 'sent' });
    expect(find(report, 'US-LA:regulator')).toMatchObject({
      dueAt: plus(sent, 10 * DAY),
      deadlineEstimated: false,
    });
  });

  it('a law-enforcement delay postpones the individual notices it covers, and lifting it restores them', async () => {
    const until = plus(AWARE, 40 * DAY);
    ok(await responder.patch(`/api/incidents/${id}`, { lawEnforcementDelayUntil: until }));
    const delayed = await obligationsOf(id);
    expect(delayed.basis.lawEnforcementDelayUntil).toBe(until);
    expect(find(delayed, 'US-CA:individuals').dueAt).toBe(until);
    expect(find(delayed, 'EU:regulator').dueAt).toBe(plus(AWARE, 72 * HOUR));
    ok(await responder.patch(`/api/incidents/${id}`, { lawEnforcementDelay: false }));
    const lifted = await obligationsOf(id);
    expect(lifted.basis.lawEnforcementDelayUntil).toBeNull();
    expect(find(lifted, 'US-CA:individuals').dueAt).toBe(plus(AWARE, 30 * DAY));
  });

  it('the import is on the timeline, as counts', async () => {
    const entry = (await timelineOf(legal, id)).find((e) => e.kind === 'import');
    expect(entry?.details).toMatchObject({ accepted: 9, rejected: 0, people: 9 });
    for (const email of breachEmails) expect(entry?.summary).not.toContain(email);
  });

  it('an unknown incident is 404', async () => {
    problem(
      await legal.get('/api/incidents/00000000-0000-4000-8000-000000000000/obligations'),
      404,
      'not_found',
    );
  });

  describe('decisions', () => {
    const key = 'EU:regulator';

    it('not required needs reasons of some length, naming the field', async () => {
      const body = problem(
        await decide(id, key, { status: 'not_required', reasons: 'no' }),
        400,
        'validation_failed',
      );
      expect(body.fields?.map((f) => f.path)).toContain('body.reasons');
      expect(body.detail).toContain('not required');
      expect(find(await obligationsOf(id), key).status).toBe('open');
    });

    it('done needs evidence', async () => {
      const body = problem(await decide(id, key, { status: 'done' }), 400, 'validation_failed');
      expect(body.fields?.map((f) => f.path)).toContain('body.evidence');
    });

    it('records a decision with its reasons, who took it and under which rules, on the timeline and in the audit', async () => {
      const reasons =
        'Risk assessment: only names and emails of two people, encrypted at rest; unlikely to result in a risk.';
      const report = ok<ObligationsReport>(await decide(id, key, { status: 'not_required', reasons }));
      const decided = find(report, key);
      expect(decided.status).toBe('not_required');
      expect(decided.decision).toMatchObject({
        status: 'not_required',
        reasons,
        by: legalUser.email,
        rulesVersion: report.rulesVersion,
      });
      expect(decided.history).toHaveLength(1);
      const entry = (await timelineOf(legal, id)).find((e) => e.kind === 'obligation');
      expect(entry?.summary).toContain('not required');
      expect(entry?.summary).toContain(reasons);
      expect(entry?.details).toMatchObject({ key, status: 'not_required' });
      const audit = await auditRows(t, 'obligation.decided', id);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor_id: legalUser.id, details: { key, status: 'not_required' } });
    });

    it('deciding the same status again is a conflict', async () => {
      const body = problem(
        await decide(id, key, { status: 'not_required', reasons: 'Same decision taken twice by mistake.' }),
        409,
        'conflict',
      );
      expect(body.detail).toContain('already not required');
      expect(await auditRows(t, 'obligation.decided', id)).toHaveLength(1);
    });

    it('reopening keeps the history, newest first', async () => {
      const reopened = find(ok<ObligationsReport>(await decide(id, key, { status: 'open' })), key);
      expect(reopened.status).toBe('open');
      expect(reopened.history.map((h) => h.status)).toEqual(['open', 'not_required']);
      const done = find(
        ok<ObligationsReport>(
          await decide(id, key, { status: 'done', evidence: 'CNIL notification ref 2026-1234' }),
        ),
        key,
      );
      expect(done).toMatchObject({
        status: 'done',
        decision: { evidence: 'CNIL notification ref 2026-1234' },
      });
    });

    it('an obligation that does not apply cannot be decided (409), nor an unknown one (404)', async () => {
      const na = problem(
        await decide(id, 'US-CA:regulator', { status: 'done', evidence: 'Filed anyway' }),
        409,
        'conflict',
      );
      expect(na.detail).toContain('does not apply');
      problem(
        await decide(id, 'US-ZZ:regulator', { status: 'done', evidence: 'Filed anyway' }),
        404,
        'not_found',
      );
      problem(
        await decide(id, 'not a key', { status: 'done', evidence: 'Filed anyway' }),
        400,
        'validation_failed',
      );
    });
    it('a kind of notice the regime does not have is 404, not another notice’s reason', async () => {
      // California has no media notice; its AG notice being below threshold says nothing about that.
      const body = problem(
        await decide(id, 'US-CA:media', { status: 'done', evidence: 'Filed anyway' }),
        404,
        'not_found',
      );
      expect(body.detail).toContain('US-CA:media');
    });
  });

  describe('the report', () => {
    it('as JSON: incident facts, counts by jurisdiction, obligations with decisions, no personal data', async () => {
      const response = await legal.get(`/api/incidents/${id}/obligations/report?format=json`);
      const report = ok<RegulatorReport>(response);
      expect(response.headers['content-disposition']).toContain('.json');
      expect(report.incident).toMatchObject({ id, title: 'Customer database' });
      expect(report.incident.times.awareAt).toBe(AWARE);
      expect(report.affected).toEqual({
        total: 9,
        byJurisdiction: { 'US-CA': 5, FR: 2, 'US-TX': 1, 'US-LA': 1 },
      });
      const eu = report.obligations.find((o) => o.key === 'EU:regulator');
      expect(eu?.history.map((h) => h.status)).toEqual(['done', 'open', 'not_required']);
      expect(report.notApplicable.some((n) => n.key === 'US-CA:regulator')).toBe(true);
      expect(report.timeline.some((e) => e.kind === 'obligation')).toBe(true);
      for (const email of breachEmails) expect(response.body).not.toContain(email);
      expect(response.body).not.toContain('Avery');
      expect(response.body).not.toContain('536-22');
    });

    it('for one regime: only its obligations and the people who count under it', async () => {
      const report = ok<RegulatorReport>(
        await legal.get(`/api/incidents/${id}/obligations/report?regime=US-CA`),
      );
      expect(report.regime?.id).toBe('US-CA');
      expect(report.affected).toEqual({ total: 3, byJurisdiction: { 'US-CA': 3 } });
      expect(new Set(report.obligations.map((o) => o.regime))).toEqual(new Set(['US-CA']));
      expect(report.notApplicable.map((n) => n.key)).toEqual(['US-CA:regulator']);
    });

    it('an unknown regime is 404', async () => {
      problem(await legal.get(`/api/incidents/${id}/obligations/report?regime=US-ZZ`), 404, 'not_found');
    });

    it('as PDF', async () => {
      const response = await legal.get(`/api/incidents/${id}/obligations/report?format=pdf&regime=EU`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(response.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(response.rawPayload.length).toBeGreaterThan(1000);
    });

    it('each export is audited', async () => {
      const rows = await auditRows(t, 'obligation.report_exported', id);
      expect(rows.map((r) => r.details)).toEqual(
        expect.arrayContaining([
          { format: 'json', regime: 'all' },
          { format: 'json', regime: 'US-CA' },
          { format: 'pdf', regime: 'EU' },
        ]),
      );
    });
  });

  it('the upcoming list has this incident’s open obligations, soonest first', async () => {
    const upcoming = ok<{
      obligations: Array<{ incidentId: string; key: string; status: string; dueAt: string | null }>;
    }>(await legal.get('/api/obligations/upcoming'));
    const mine = upcoming.obligations.filter((o) => o.incidentId === id);
    expect(mine.map((o) => o.key)).toContain('US-CA:individuals');
    expect(mine.map((o) => o.key)).not.toContain('EU:regulator');
    const times = upcoming.obligations.map((o) => (o.dueAt ? Date.parse(o.dueAt) : Number.POSITIVE_INFINITY));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});

describe('the company profile', () => {
  const profile = (extra: Partial<CompanyProfile> = {}): CompanyProfile => ({
    entity: { hipaa: false, sec: false, nydfs: false, ftc_safeguards: false },
    policyDays: 30,
    timezone: 'UTC',
    ...extra,
  });
  let id: string;

  beforeAll(async () => {
    id = (await createIncident(responder, { title: 'Clinic records', awareAt: AWARE })).id;
    await importPeople(
      t,
      id,
      csv(peopleHeader, 'pat@example.com,Pat Poe,,,asthma,US,CA', 'sam@example.com,Sam Sun,,,diabetes,US,NY'),
      peopleMapping,
    );
  });

  it('HIPAA does not apply while the company is not a covered entity', async () => {
    const report = await obligationsOf(id);
    expect(report.notApplicable.find((n) => n.regime === 'US-HIPAA')?.reasonCode).toBe('entity_not_covered');
    expect(report.basis.entity.hipaa).toBe(false);
  });

  it('marking the company a HIPAA covered entity makes HIPAA apply to leaked medical data', async () => {
    const saved = ok<CompanyProfile>(
      await admin.put(
        '/api/settings/company-profile',
        profile({ entity: { ...profile().entity, hipaa: true } }),
      ),
    );
    expect(saved.entity.hipaa).toBe(true);
    const report = await obligationsOf(id);
    expect(find(report, 'US-HIPAA:individuals')).toMatchObject({ affected: 2, dueAt: plus(AWARE, 60 * DAY) });
    expect(find(report, 'US-HIPAA:regulator:under_500').affected).toBe(2);
    expect(report.notApplicable.find((n) => n.key === 'US-HIPAA:media')?.reasonCode).toBe('below_threshold');
  });

  it('an incident can say otherwise than the profile', async () => {
    ok(await responder.patch(`/api/incidents/${id}`, { entity: { hipaa: false } }));
    const report = await obligationsOf(id);
    expect(report.notApplicable.find((n) => n.regime === 'US-HIPAA')?.reasonCode).toBe('entity_not_covered');
    ok(await responder.patch(`/api/incidents/${id}`, { entity: { hipaa: null } }));
    expect(find(await obligationsOf(id), 'US-HIPAA:individuals').affected).toBe(2);
  });

  it('the zone counts calendar days: 30 days across the November DST change keep the New York wall clock', async () => {
    ok(await admin.put('/api/settings/company-profile', profile({ timezone: 'America/New_York' })));
    // 2026-10-20 08:00 EDT + 30 days = 2026-11-19 08:00 EST = 13:00 UTC.
    expect(find(await obligationsOf(id), 'US-CA:individuals').dueAt).toBe('2026-11-19T13:00:00.000Z');
    ok(await admin.put('/api/settings/company-profile', profile()));
    expect(find(await obligationsOf(id), 'US-CA:individuals').dueAt).toBe('2026-11-19T12:00:00.000Z');
  });

  it('refuses an unknown time zone, naming the field', async () => {
    const body = problem(
      await admin.put('/api/settings/company-profile', profile({ timezone: 'Mars/Olympus_Mons' })),
      400,
      'validation_failed',
    );
    expect(body.detail).toContain('Mars/Olympus_Mons');
    expect(body.fields?.map((f) => f.path)).toContain('timezone');
    expect(ok<CompanyProfile>(await admin.get('/api/settings/company-profile')).timezone).toBe('UTC');
  });

  it('refuses a policy period out of bounds', async () => {
    for (const policyDays of [0, 366, 1.5]) {
      const body = problem(
        await admin.put('/api/settings/company-profile', profile({ policyDays })),
        400,
        'validation_failed',
      );
      expect(body.fields?.map((f) => f.path)).toContain('body.policyDays');
    }
  });

  it('is changed by admins only, and audited', async () => {
    problem(await legal.put('/api/settings/company-profile', profile()), 403, 'forbidden');
    const rows = await t.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'settings.company_profile_changed')
      .orderBy('seq')
      .execute();
    // The three saves above; the refused zone and the refused role left nothing.
    expect(rows.map((r) => r.details)).toEqual([
      { policyDays: 30, timezone: 'UTC', entities: ['hipaa'] },
      { policyDays: 30, timezone: 'America/New_York', entities: [] },
      { policyDays: 30, timezone: 'UTC', entities: [] },
    ]);
  });
});
