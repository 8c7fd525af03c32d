import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentDetail } from '../../src/shared/contracts/incidents.ts';
import { createPeopleHarness, csv, type PeopleHarness, runCli } from '../people/helpers.ts';

/** `candor incident …` and `candor obligations …` in a child process, on this file's database. */
let h: PeopleHarness;
beforeAll(async () => {
  h = await createPeopleHarness();
});
afterAll(() => h.close());

const candor = (...args: string[]) => runCli(args, h.cliEnv);
async function json<T>(...args: string[]): Promise<T> {
  const result = await candor(...args);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

interface CliObligation {
  key: string;
  regime: string;
  kind: string | null;
  affected: number;
  dueAt?: string | null;
  status: string;
  reasonCode?: string;
}

describe('candor incident and obligations', () => {
  let id: string;

  beforeAll(async () => {
    const created = await json<{ id: string; status: string; title: string }>(
      'incident',
      'create',
      '--title',
      'Leaked CRM export',
      '--aware-at',
      '2026-11-02T09:00:00Z',
      '--occurred-at',
      '2026-10-30T00:00:00Z',
      '--detected-at',
      '2026-11-01T12:00:00Z',
      '--json',
    );
    expect(created).toMatchObject({ title: 'Leaked CRM export', status: 'suspected' });
    id = created.id;
  });

  it('sets a key time and moves the status, then shows them', async () => {
    const set = await json<IncidentDetail>(
      'incident',
      'set',
      id,
      '--contained-at',
      '2026-11-03T10:00:00Z',
      '--reason',
      'Bucket made private',
      '--status',
      'investigating',
      '--json',
    );
    expect(set.status).toBe('investigating');
    const shown = await json<IncidentDetail>('incident', 'show', id, '--json');
    expect(shown.times).toMatchObject({
      awareAt: '2026-11-02T09:00:00.000Z',
      containedAt: '2026-11-03T10:00:00.000Z',
      detectedAt: '2026-11-01T12:00:00.000Z',
    });
    expect(shown.metrics.containDays).toBe(1.9);
    const audit = await h.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'incident.key_times_changed')
      .where('target_id', '=', id)
      .execute();
    expect(audit.map((r) => r.details)).toEqual([{ fields: ['containedAt'], reason: 'Bucket made private' }]);
  });

  it('refuses a containment before the detection, naming both, with a non-zero exit', async () => {
    const result = await candor('incident', 'set', id, '--contained-at', '2026-11-01T00:00:00Z');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Contained.*cannot be before detected/);
    const shown = await json<IncidentDetail>('incident', 'show', id, '--json');
    expect(shown.times.containedAt).toBe('2026-11-03T10:00:00.000Z');
  });

  it('refuses a status the lifecycle does not allow', async () => {
    const result = await candor('incident', 'set', id, '--status', 'monitoring');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('confirmed or closed');
  });

  it('lists obligations as JSON, applicable and not, each with a status', async () => {
    await h.importText(
      id,
      'people.csv',
      csv(
        'email,name,ssn,country,state',
        'a@example.com,Ann A,536-22-0001,US,CA',
        'b@example.com,Bo B,536-22-0002,US,CA',
      ),
      {
        mapping: {
          email: 'email',
          name: 'full_name',
          ssn: 'national_id',
          country: 'country',
          state: 'region',
        },
      },
    );
    const list = await json<CliObligation[]>('obligations', id, '--json');
    expect(Array.isArray(list)).toBe(true);
    expect(list.every((o) => typeof o.status === 'string')).toBe(true);
    expect(list.find((o) => o.key === 'US-CA:individuals')).toMatchObject({
      status: 'open',
      affected: 2,
      dueAt: '2026-12-02T09:00:00.000Z',
    });
    expect(list.find((o) => o.key === 'US-CA:regulator')).toMatchObject({
      status: 'not_applicable',
      reasonCode: 'below_threshold',
    });
    expect(list.find((o) => o.regime === 'US-TX')).toMatchObject({
      status: 'not_applicable',
      reasonCode: 'no_residents',
    });
  });

  it('writes the regulator report as a PDF', async () => {
    const out = path.join(h.dir, 'report.pdf');
    const result = await candor('obligations', id, '--report', 'pdf', '--regime', 'US-CA', '--out', out);
    expect(result.code, result.stderr).toBe(0);
    expect(fs.readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
