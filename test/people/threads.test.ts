import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBenchCsv } from '../../bench/support/synthetic-breach.ts';
import { createPeopleModule } from '../../src/server/modules/people/index.ts';
import { createPeopleHarness, type PeopleHarness, testActor } from './helpers.ts';

/**
 * Large files are built in worker threads (CANDOR_IMPORT_THREADS), small ones in the import's thread. Both
 * paths must produce exactly the same records, issues and people: same file, two incidents, two ways.
 */
describe('building records in worker threads', () => {
  let h: PeopleHarness;
  beforeAll(async () => {
    h = await createPeopleHarness();
  });
  afterAll(() => h.close());

  it('gives the same import as building in the import thread', async () => {
    const file = path.join(h.dir, 'threads.csv');
    await writeBenchCsv(file, { rows: 12_000, seed: 7 });
    const importWith = async (threads: number) => {
      const incidentId = await h.createIncident(`threads ${threads}`);
      const config = { ...h.ctx.config, CANDOR_IMPORT_THREADS: threads, CANDOR_IMPORT_THREADS_FROM: 0 };
      const population = createPeopleModule({ ...h.ctx, config }).service;
      const summary = await population.runImport({
        incidentId,
        source: { kind: 'file', path: file },
        fileName: 'threads.csv',
        defaultCountry: 'US',
        actor: testActor,
      });
      const records = await h.ctx.db
        .selectFrom('source_records')
        .select((eb) => [
          eb.fn.countAll<number>().as('n'),
          eb.fn.count<number>('email_idx').distinct().as('emails'),
          eb.fn.sum<number>('categories').as('categorySum'),
        ])
        .where('incident_id', '=', incidentId)
        .executeTakeFirstOrThrow();
      const issues = await h.ctx.db
        .selectFrom('import_issues')
        .select(['line_no', 'severity', 'reason', 'field'])
        .where('import_id', '=', summary.importId)
        .orderBy('line_no')
        .orderBy('reason')
        .execute();
      return { summary, records, issues, stats: await population.stats(incidentId) };
    };
    const inThread = await importWith(0);
    const threaded = await importWith(2);
    expect(inThread.summary.accepted).toBeGreaterThan(11_000);
    for (const key of ['rows', 'accepted', 'rejected', 'people', 'conflicts'] as const) {
      expect(threaded.summary[key], key).toBe(inThread.summary[key]);
    }
    expect(threaded.records).toEqual(inThread.records);
    expect(threaded.issues).toEqual(inThread.issues);
    expect(threaded.stats).toEqual(inThread.stats);
  }, 120_000);
});
