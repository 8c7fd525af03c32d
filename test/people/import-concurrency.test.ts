import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeBenchCsv } from '../../bench/support/synthetic-breach.ts';
import { createGate, createPeopleHarness, type PeopleHarness, spawnCandor } from './helpers.ts';

let h: PeopleHarness;
beforeAll(async () => {
  h = await createPeopleHarness();
});
afterAll(() => h.close());

it('two imports into different incidents run at once, and each ends as if it had run alone', async () => {
  const file = path.join(h.dir, 'breach.csv');
  await writeBenchCsv(file, { rows: 15_000, seed: 31 });
  const reference = await h.createIncident('alone');
  const alone = await h.importFile(reference, file);
  const expectedStats = await h.population.stats(reference);

  const incidents = [await h.createIncident('first'), await h.createIncident('second')];
  // Hold both at their second batch until both got there: they are then provably running side by side.
  const gate = await createGate(h.database.url);
  try {
    await gate.hold({ kind: 'checkpoint', atLine: 6000 });
    const children = incidents.map((id) => spawnCandor(['import', id, file, '--json'], h.cliEnv));
    await gate.waitForWaiters(2);
    await gate.release();
    const results = await Promise.all(children.map((c) => c.exited));
    await gate.remove();
    for (const [i, result] of results.entries()) {
      expect(result.stderr).not.toMatch(/candor: /);
      expect(result.code).toBe(0);
      const { importId, ...counts } = JSON.parse(result.stdout);
      expect(importId).not.toBe(alone.importId);
      const { rows, accepted, rejected, warnings, people, newPeople, conflicts } = alone;
      expect(counts).toEqual({ rows, accepted, rejected, warnings, people, newPeople, conflicts });
      expect(await h.population.stats(incidents[i]!)).toEqual(expectedStats);
    }
  } finally {
    await gate.end();
  }
}, 180_000);
