import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPeopleHarness, csv, type PeopleHarness, peopleOf, runCli, testActor } from './helpers.ts';

/**
 * `C9002` and `c9002` became two people and a conflict, while the console says case and formatting do
 * not matter. Customer ids now compare ignoring case and surrounding spaces, unless an incident's source
 * systems tell them apart (`caseSensitiveIds`); one incident has one rule.
 */
let h: PeopleHarness;
beforeAll(async () => {
  h = await createPeopleHarness();
});
afterAll(() => h.close());

const mapping = { customer_id: 'customer_id', email: 'email', name: 'full_name' } as const;
const findById = (incident: string, value: string) =>
  h.population.find(incident, { kind: 'customer_id', value }, { actor: testActor });
const conflictsOf = async (incident: string) =>
  (
    await h.ctx.db
      .selectFrom('resolution_conflicts')
      .select('id')
      .where('incident_id', '=', incident)
      .execute()
  ).length;
const ruleOf = async (importId: string) =>
  (
    await h.ctx.db
      .selectFrom('imports')
      .select('case_sensitive_ids')
      .where('id', '=', importId)
      .executeTakeFirstOrThrow()
  ).case_sensitive_ids;

const sameCustomer = csv(
  'customer_id,email,name',
  'C9002,c9002@example.com,Ann Lee',
  'c9002,c9002@example.com,Ann Lee',
  ' C9002 ,ann.lee@example.com,Ann Lee',
);

describe('by default', () => {
  it('compares customer ids ignoring case and surrounding spaces: one person, no conflict', async () => {
    const incident = await h.createIncident();
    const summary = await h.importText(incident, 'crm.csv', sameCustomer, { mapping });
    expect(summary).toMatchObject({ accepted: 3, people: 1, conflicts: 0 });
    expect(await ruleOf(summary.importId)).toBe(false);
    for (const spelling of ['C9002', 'c9002', '  c9002']) {
      expect(await findById(incident, spelling), spelling).toHaveLength(1);
    }
    // The ids are kept as they were written, for the person reading them.
    const [person] = await findById(incident, 'C9002');
    const view = await h.population.view(incident, person!.id, { actor: testActor });
    expect(view.identifiers.customer_id?.sort()).toEqual(['C9002', 'c9002']);
  });

  it('a later import into the incident follows it, across files', async () => {
    const incident = await h.createIncident();
    await h.importText(incident, 'first.csv', csv('customer_id,email', 'AB-17,ab17@example.com'), {
      mapping,
    });
    const second = await h.importText(
      incident,
      'second.csv',
      csv('customer_id,email', 'ab-17,other@example.com'),
      {
        mapping,
      },
    );
    expect(second).toMatchObject({ people: 1, conflicts: 0 });
  });
});

describe('with caseSensitiveIds', () => {
  it('keeps C9002 and c9002 apart (two people, and the conflict their shared email raises)', async () => {
    const incident = await h.createIncident();
    const summary = await h.importText(incident, 'crm.csv', sameCustomer, {
      mapping,
      caseSensitiveIds: true,
    });
    expect(summary).toMatchObject({ accepted: 3, people: 2 });
    expect(await ruleOf(summary.importId)).toBe(true);
    expect(await peopleOf(h, incident)).toHaveLength(2);
    expect(await conflictsOf(incident)).toBe(1);
    expect(await findById(incident, 'c9002')).toHaveLength(1);
    expect(await findById(incident, 'C9002')).toHaveLength(1);
    expect((await findById(incident, 'C9002'))[0]!.id).not.toBe((await findById(incident, 'c9002'))[0]!.id);
  });

  it('a later import without the option follows the incident’s rule; one asking for the other rule is refused', async () => {
    const incident = await h.createIncident();
    await h.importText(incident, 'first.csv', csv('customer_id,email', 'K1,k1@example.com'), {
      mapping,
      caseSensitiveIds: true,
    });
    const followed = await h.importText(
      incident,
      'second.csv',
      csv('customer_id,email', 'k1,k1b@example.com'),
      {
        mapping,
      },
    );
    expect(await ruleOf(followed.importId)).toBe(true);
    expect(followed.people).toBe(2);
    await expect(
      h.importText(incident, 'third.csv', csv('customer_id,email', 'K2,k2@example.com'), {
        mapping,
        caseSensitiveIds: false,
      }),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(
        /earlier imports compare customer ids case-sensitively, and all imports into one incident must use the same rule/,
      ),
    });
    const imports = await h.ctx.db
      .selectFrom('imports')
      .select('file_name')
      .where('incident_id', '=', incident)
      .execute();
    expect(imports.map((i) => i.file_name).sort()).toEqual(['first.csv', 'second.csv']);
  });

  it('the reverse: an incident that ignores case refuses a case-sensitive import', async () => {
    const incident = await h.createIncident();
    await h.importText(incident, 'first.csv', csv('customer_id,email', 'K1,k1@example.com'), { mapping });
    await expect(
      h.importText(incident, 'second.csv', csv('customer_id,email', 'K2,k2@example.com'), {
        mapping,
        caseSensitiveIds: true,
      }),
    ).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/ignoring case/) });
  });
});

describe('the CLI', () => {
  it('takes --case-sensitive-ids, and "caseSensitiveIds" in a mapping file', async () => {
    const file = h.writeFile('crm.csv', sameCustomer);
    const byFlag = await h.createIncident();
    const flagged = await runCli(['import', byFlag, file, '--case-sensitive-ids', '--json'], h.cliEnv);
    expect(flagged.stderr).not.toMatch(/candor: /);
    expect(JSON.parse(flagged.stdout)).toMatchObject({ people: 2 });
    expect(await ruleOf(JSON.parse(flagged.stdout).importId)).toBe(true);

    const map = h.writeFile(
      'mapping.json',
      JSON.stringify({
        columns: { customer_id: 'customer_id', email: 'email', name: 'full_name' },
        caseSensitiveIds: true,
      }),
    );
    const byFile = await h.createIncident();
    const mapped = await runCli(['import', byFile, file, '--map', map, '--json'], h.cliEnv);
    expect(mapped.stderr).not.toMatch(/candor: /);
    expect(await ruleOf(JSON.parse(mapped.stdout).importId)).toBe(true);
  }, 60_000);
});
