import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummaryDto } from '../../src/shared/contracts/people.ts';
import { ok } from '../incidents/helpers.ts';
import { importRows, type PeopleApiSetup, setupPeopleApi } from './people-api-helpers.ts';

let s: PeopleApiSetup;
beforeAll(async () => {
  s = await setupPeopleApi();
});
afterAll(() => s?.t.close());

describe('conflicts per import', () => {
  it('counts on each import the conflicts it brought, not the incident’s total', async () => {
    // One clash inside the first file (same email, two customer ids).
    const first = await importRows(
      s,
      'C1,ann.lee@example.com,,Ann Lee,,,US,CA',
      'C9,ann.lee@example.com,,Ann L.,,,US,CA',
    );
    // A clean second file.
    const second = await importRows(s, 'C2,bob.ray@example.com,,Bob Ray,,,US,NY');
    // A third that clashes twice with what came before (Bob's email, Dee's phone).
    const third = await importRows(
      s,
      'C3,bob.ray@example.com,,Robert Ray,,,US,NY',
      'C4,dee@example.com,+12025550150,Dee,,,US,NY',
      'C5,dee.two@example.com,+12025550150,Dee Two,,,US,NY',
    );
    const imports = ok<{ imports: ImportSummaryDto[] }>(
      await s.responder.get(`/api/incidents/${s.incidentId}/imports`),
    ).imports;
    const byId = new Map(imports.map((i) => [i.id, i]));
    expect(byId.get(first.importId)!.conflicts).toBe(1);
    expect(byId.get(second.importId)!.conflicts).toBe(0);
    expect(byId.get(third.importId)!.conflicts).toBe(2);
    const stats = ok<{ conflicts: number }>(
      await s.responder.get(`/api/incidents/${s.incidentId}/people/stats`),
    );
    expect(stats.conflicts).toBe(3);
    // The single-import read agrees with the list.
    const one = ok<ImportSummaryDto>(await s.responder.get(`/api/imports/${third.importId}`));
    expect(one.conflicts).toBe(2);
  });
});
