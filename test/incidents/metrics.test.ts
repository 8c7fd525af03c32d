import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentDetail, MetricsOverview } from '../../src/shared/contracts/incidents.ts';
import { createSignedInUser, createTestApp, type TestApp } from '../support/app.ts';
import { type Client, clientFor, createIncident, ok, problem } from './helpers.ts';

/** Its own database: the company averages below are over exactly the incidents this file creates. */
let t: TestApp;
let responder: Client;
let agent: Client;

beforeAll(async () => {
  t = await createTestApp();
  responder = clientFor(t, await createSignedInUser(t, 'responder'));
  agent = clientFor(t, await createSignedInUser(t, 'agent'));
});
afterAll(() => t.close());

const setTimes = (id: string, times: Record<string, string>) =>
  responder.post(`/api/incidents/${id}/key-times`, { times, reason: 'From the forensic report' });

describe('timings', () => {
  let first: string;
  let second: string;

  beforeAll(async () => {
    // Identify 10 days, contain 5 days, notify 10 days after awareness.
    first = (
      await createIncident(responder, {
        title: 'First',
        occurredAt: '2026-01-01T00:00:00Z',
        detectedAt: '2026-01-11T00:00:00Z',
        awareAt: '2026-01-12T00:00:00Z',
      })
    ).id;
    ok(await setTimes(first, { containedAt: '2026-01-16T00:00:00Z', firstNoticeAt: '2026-01-22T00:00:00Z' }));
    // Identify 30.5 days, contain 2 days, not notified yet.
    second = (
      await createIncident(responder, {
        title: 'Second',
        occurredAt: '2026-02-01T00:00:00Z',
        detectedAt: '2026-03-03T12:00:00Z',
        awareAt: '2026-03-04T00:00:00Z',
      })
    ).id;
    ok(await setTimes(second, { containedAt: '2026-03-05T12:00:00Z' }));
    // No times beyond awareness: every metric unknown.
    await createIncident(responder, { title: 'Third', awareAt: '2026-03-10T00:00:00Z' });
  });

  it('are computed in days on each incident', async () => {
    const detail = ok<IncidentDetail>(await responder.get(`/api/incidents/${first}`));
    expect(detail.metrics).toEqual({ identifyDays: 10, containDays: 5, notifyDays: 10 });
    const other = ok<IncidentDetail>(await responder.get(`/api/incidents/${second}`));
    expect(other.metrics).toEqual({ identifyDays: 30.5, containDays: 2, notifyDays: null });
  });

  it('the overview has the reference figures (196 / 69 days) and the company averages over known values', async () => {
    const overview = ok<MetricsOverview>(await responder.get('/api/incidents/metrics'));
    expect(overview.reference).toMatchObject({ identifyDays: 196, containDays: 69 });
    expect(overview.reference.source).toContain('IBM');
    expect(overview.companyAverage).toEqual({
      identifyDays: 20.3,
      containDays: 3.5,
      notifyDays: 10,
      incidents: 3,
    });
    expect(overview.incidents.map((i) => i.title)).toEqual(['First', 'Second', 'Third']);
    expect(overview.incidents[2]).toMatchObject({ identifyDays: null, containDays: null, notifyDays: null });
  });

  it('needs insights:read (an agent has none)', async () => {
    problem(await agent.get('/api/incidents/metrics'), 403, 'forbidden');
  });
});
