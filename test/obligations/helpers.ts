import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createPeopleModule,
  type ImportSummary,
  type Mapping,
} from '../../src/server/modules/people/index.ts';
import { testActor } from '../people/helpers.ts';
import type { TestApp } from '../support/app.ts';

export { csv } from '../people/helpers.ts';

/**
 * Puts people into an incident of a test app the way the population tests do: a file on disk imported by
 * the population module (the same code the upload route's job runs), awaited to the end.
 */
export async function importPeople(
  t: TestApp,
  incidentId: string,
  content: string,
  mapping: Mapping,
): Promise<ImportSummary> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-obligations-'));
  try {
    const file = path.join(dir, 'people.csv');
    fs.writeFileSync(file, content);
    return await createPeopleModule(t.ctx).service.runImport({
      incidentId,
      source: { kind: 'file', path: file },
      fileName: 'people.csv',
      mapping,
      actor: testActor,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The columns of the CSV files these tests write. */
export const peopleMapping: Mapping = {
  email: 'email',
  name: 'full_name',
  ssn: 'national_id',
  dl: 'category:drivers_license',
  diagnosis: 'category:medical',
  country: 'country',
  state: 'region',
};
export const peopleHeader = 'email,name,ssn,dl,diagnosis,country,state';
