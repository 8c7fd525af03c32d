import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBenchCsv } from '../../bench/support/synthetic-breach.ts';
import { stagingTable } from '../../src/server/modules/people/import-runner.ts';
import type { ImportSummary } from '../../src/server/modules/people/index.ts';
import type { PeopleStats } from '../../src/server/modules/people/people.service.ts';
import {
  createGate,
  createPeopleHarness,
  type GatePoint,
  type PeopleHarness,
  spawnCandor,
} from './helpers.ts';

/**
 * An import killed with SIGKILL at a chosen point, then run again, ends exactly like an import that was
 * never interrupted. The gate (helpers.ts) holds the child at the chosen point with its transaction open,
 * so the kill lands there every time.
 */
const ROWS = 60_000;
const LAST_LINE = ROWS + 1; // line 1 is the header

let h: PeopleHarness;
let gate: Awaited<ReturnType<typeof createGate>>;
let file: string;
let clean: { summary: ImportSummary; stats: PeopleStats; issues: number };

beforeAll(async () => {
  h = await createPeopleHarness();
  gate = await createGate(h.database.url);
  file = path.join(h.dir, 'breach.csv');
  await writeBenchCsv(file, { rows: ROWS, seed: 20_260_115 });
  const incident = await h.createIncident('clean run');
  const summary = await h.importFile(incident, file);
  clean = {
    summary,
    stats: await h.population.stats(incident),
    issues: await issueCount(summary.importId),
  };
  // The file exercises what a resume must keep: rejections, conflicts, several records per person.
  expect(summary).toMatchObject({ rows: ROWS, isDuplicate: false });
  expect(summary.rejected).toBeGreaterThan(100);
  expect(summary.conflicts).toBeGreaterThan(0);
  expect(summary.people).toBeLessThan(summary.accepted / 3);
}, 180_000);

afterAll(async () => {
  await gate?.end();
  await h?.close();
});

async function issueCount(importId: string): Promise<number> {
  const { rows } = await gate.client.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM import_issues WHERE import_id = $1',
    [importId],
  );
  return rows[0]!.n;
}

/** Starts `candor import`, kills it while it waits at the gate, and returns its import as committed. */
async function killAtGate(incident: string, point: GatePoint) {
  await gate.hold(point);
  const { child, exited } = spawnCandor(['import', incident, file, '--json'], h.cliEnv);
  try {
    await gate.waitForWaiters(1);
    child.kill('SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');
  } finally {
    child.kill('SIGKILL');
    await gate.release();
    await gate.remove();
  }
  return h.ctx.db
    .selectFrom('imports')
    .selectAll()
    .where('incident_id', '=', incident)
    .executeTakeFirstOrThrow();
}

/** Records and issues committed for an import, whether its table is attached yet or not. */
async function committedRows(importId: string) {
  const { rows } = await gate.client.query<{ records: number; distinct_lines: number }>(
    `SELECT count(*)::int AS records, count(DISTINCT line_no)::int AS distinct_lines FROM ${stagingTable(importId)}`,
  );
  return { ...rows[0]!, issues: await issueCount(importId) };
}

async function expectSameAsClean(incident: string, importId: string, printed: string) {
  const { rows, accepted, rejected, warnings, people, newPeople, conflicts } = clean.summary;
  // Warnings are counted with each batch's checkpoint: a resumed import counts each once, as a clean run.
  expect(JSON.parse(printed)).toEqual({
    importId,
    rows,
    accepted,
    rejected,
    warnings,
    people,
    newPeople,
    conflicts,
  });
  expect(await h.population.stats(incident)).toEqual(clean.stats);
  expect(await committedRows(importId)).toEqual({
    records: accepted,
    distinct_lines: accepted,
    issues: clean.issues,
  });
  const jobs = await h.ctx.db
    .selectFrom('imports')
    .select(['id', 'status'])
    .where('incident_id', '=', incident)
    .execute();
  expect(jobs).toEqual([{ id: importId, status: 'done' }]);
  const linked = await gate.client.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM record_people WHERE incident_id = $1',
    [incident],
  );
  expect(linked.rows[0]!.n).toBe(accepted);
}

// pins invariant 9: a crashed import resumes without duplicates and without losing rows
describe('an import killed with SIGKILL and run again', () => {
  it.each([
    ['early in parsing', 10_000],
    ['late in parsing', 50_000],
  ])(
    '%s resumes where its last committed batch ended',
    async (_label, atLine) => {
      const incident = await h.createIncident();
      const job = await killAtGate(incident, { kind: 'checkpoint', atLine });
      const checkpoint = Number(job.checkpoint_line);
      expect(job.status).toBe('parsing');
      expect(checkpoint).toBeGreaterThan(0);
      expect(checkpoint).toBeLessThan(atLine);
      // What was committed matches the checkpoint: the batch in flight at the kill left nothing behind.
      const atKill = await committedRows(job.id);
      expect(atKill.records).toBe(Number(job.accepted));
      expect(atKill.distinct_lines).toBe(atKill.records);
      expect(Number(job.accepted) + Number(job.rejected)).toBe(checkpoint - 1);

      const resumed = await spawnCandor(['import', incident, file, '--json'], h.cliEnv).exited;
      expect(resumed.stderr).not.toMatch(/candor: /);
      expect(resumed.code).toBe(0);
      await expectSameAsClean(incident, job.id, resumed.stdout);
    },
    240_000,
  );

  it('during identity resolution resumes with --resume <importId>', async () => {
    const incident = await h.createIncident();
    const job = await killAtGate(incident, { kind: 'people' });
    expect(job.status).toBe('resolving');
    expect(Number(job.checkpoint_line)).toBe(LAST_LINE);
    const people = await gate.client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM people WHERE incident_id = $1',
      [incident],
    );
    expect(people.rows[0]!.n).toBe(0);

    const resumed = await spawnCandor(['import', incident, '--resume', job.id, '--json'], h.cliEnv).exited;
    expect(resumed.stderr).not.toMatch(/candor: /);
    expect(resumed.code).toBe(0);
    await expectSameAsClean(incident, job.id, resumed.stdout);
  }, 240_000);
});
