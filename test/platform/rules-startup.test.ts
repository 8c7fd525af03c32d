import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase } from '../support/database.ts';
import { makeTempDir, newMasterKey, runCandor } from './helpers.ts';

/**
 * A rules file that fails its schema must stop the process at start, naming the rule: a server that ran
 * on with a broken rule would compute wrong deadlines silently.
 */
describe('obligations rules at start', () => {
  let database: Awaited<ReturnType<typeof createEmptyDatabase>>;
  const temp = makeTempDir();
  const masterKey = newMasterKey();
  beforeAll(async () => {
    database = await createEmptyDatabase();
  });
  afterAll(async () => {
    await database.drop();
    temp.remove();
  });

  it('stops `candor serve` with a broken rules file, naming the rule and the field', async () => {
    const file = path.join(temp.dir, 'rules.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        version: 'test',
        derivedFrom: 'test',
        regimes: [{ id: 'US-ZZ', name: 'Nowhere', jurisdictions: ['US-ZZ'] }],
      }),
    );
    const result = await runCandor(['serve'], {
      DATABASE_URL: database.url,
      CANDOR_MASTER_KEY: masterKey,
      CANDOR_RULES_FILE: file,
      PORT: '0',
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/obligations rule US-ZZ is invalid: appliesToEntity/);
  });

  it('stops it when the rules file is not JSON, naming the file', async () => {
    const file = path.join(temp.dir, 'broken.json');
    fs.writeFileSync(file, '{"version": ');
    const result = await runCandor(['serve'], {
      DATABASE_URL: database.url,
      CANDOR_MASTER_KEY: masterKey,
      CANDOR_RULES_FILE: file,
      PORT: '0',
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`obligations rules ${file}: cannot read the file`);
  });
});
