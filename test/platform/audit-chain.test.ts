import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Actor,
  GENESIS_HASH,
  hashEntry,
  recordAudit,
  verifyAuditChain,
} from '../../src/server/platform/audit/audit-log.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { newMasterKey, runCandor, withClient } from './helpers.ts';

const actor: Actor = { type: 'system', id: null, label: 'test' };

describe('the audit chain', () => {
  let database: TestDatabase;
  // The CLI creates the data keys on its first run; every later run must bring the same master key.
  const masterKey = newMasterKey();
  const verifyWithCli = () =>
    runCandor(['audit', 'verify'], { DATABASE_URL: database.url, CANDOR_MASTER_KEY: masterKey });
  const superuser = <T>(fn: Parameters<typeof withClient<T>>[1]) => withClient(database.url, fn);
  /** What someone with superuser rights can do: switch the append-only triggers off, edit, switch back. */
  const tamper = (statements: string) =>
    superuser((c) =>
      c.query(
        `BEGIN; ALTER TABLE audit_log DISABLE TRIGGER USER; ${statements}; ALTER TABLE audit_log ENABLE TRIGGER USER; COMMIT;`,
      ),
    );
  const rows = () => database.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('appends contiguous, linked entries; a rolled-back transaction leaves neither entry nor gap', async () => {
    for (const action of ['one', 'two']) {
      await database.db.transaction().execute((tx) => recordAudit(tx, { actor, action }));
    }
    const rolledBack = database.db.transaction().execute(async (tx) => {
      await recordAudit(tx, { actor, action: 'rolled.back' });
      throw new Error('the audited change failed');
    });
    await expect(rolledBack).rejects.toThrow('the audited change failed');
    // Concurrent writers serialize on the append lock: no duplicate seq, no fork.
    await Promise.all(
      ['three', 'four', 'five', 'six'].map((action) =>
        database.db.transaction().execute((tx) => recordAudit(tx, { actor, action, details: { n: 1 } })),
      ),
    );

    const entries = await rows();
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(entries.map((e) => e.action)).not.toContain('rolled.back');
    expect(entries[0]!.prev_hash.equals(GENESIS_HASH)).toBe(true);
    for (let i = 1; i < entries.length; i++) {
      expect(entries[i]!.prev_hash.equals(entries[i - 1]!.hash)).toBe(true);
    }
    for (const entry of entries) expect(hashEntry(entry).equals(entry.hash)).toBe(true);
  });

  it('verifies an intact chain, in process and with `candor audit verify`', async () => {
    const head = (await rows()).at(-1)!;
    expect(await verifyAuditChain(database.db)).toEqual({
      ok: true,
      entries: 6,
      headSeq: 6,
      headHash: head.hash.toString('hex'),
    });
    expect(await verifyAuditChain(database.db, 4)).toMatchObject({ ok: true, entries: 6 });
    const cli = await verifyWithCli();
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(`audit log intact: 6 entries, head #6 ${head.hash.toString('hex')}`);
  });

  // pins: an application bug or a non-superuser role rewriting history
  it.each([
    ['UPDATE', `UPDATE audit_log SET action = 'edited' WHERE seq = 3`],
    ['DELETE', 'DELETE FROM audit_log WHERE seq = 3'],
    ['TRUNCATE', 'TRUNCATE audit_log'],
  ])('refuses a plain %s', async (_name, statement) => {
    await expect(sql.raw(statement).execute(database.db)).rejects.toThrow('audit_log is append-only');
    expect(await rows()).toHaveLength(6);
  });

  describe('tampered by a superuser', () => {
    beforeAll(async () => {
      await superuser((c) => c.query('CREATE TABLE audit_log_original AS SELECT * FROM audit_log'));
    });
    afterEach(async () => {
      await tamper('DELETE FROM audit_log; INSERT INTO audit_log SELECT * FROM audit_log_original');
      expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, entries: 6 });
    });

    // pins: an insider editing an audit entry to hide what was done
    it('detects an altered entry (details), and the CLI names it', async () => {
      await tamper(`UPDATE audit_log SET details = '{"n": 2}' WHERE seq = 3`);
      expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, badSeq: 3, entries: 2 });
      const cli = await verifyWithCli();
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain('audit log TAMPERED: entry 3:');
      expect(cli.stdout).not.toContain('intact');
    });

    // pins: an insider relabelling what an entry records
    it('detects an altered entry (action)', async () => {
      await tamper(`UPDATE audit_log SET action = 'harmless' WHERE seq = 3`);
      expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, badSeq: 3 });
    });

    // pins: an insider who edits an entry and recomputes its hash
    it('detects an altered entry whose own hash was recomputed, at the next link', async () => {
      const third = (await rows())[2]!;
      const forged = hashEntry({ ...third, action: 'harmless' });
      await tamper(
        `UPDATE audit_log SET action = 'harmless', hash = '\\x${forged.toString('hex')}'::bytea WHERE seq = 3`,
      );
      expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, badSeq: 4 });
    });

    // pins: an insider deleting the entry that records what they did
    it('detects a deleted entry, and the CLI names it', async () => {
      await tamper('DELETE FROM audit_log WHERE seq = 3');
      expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, badSeq: 3, entries: 2 });
      const cli = await verifyWithCli();
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain('audit log TAMPERED: entry 3:');
      expect(cli.stderr).toContain('missing');
    });

    // pins: an insider reordering entries to change the apparent sequence of events
    it('detects reordered entries, and the CLI names the first one out of place', async () => {
      await tamper(
        'UPDATE audit_log SET seq = -2 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3; ' +
          'UPDATE audit_log SET seq = 3 WHERE seq = -2',
      );
      expect((await rows()).map((r) => r.action).slice(0, 3)).toEqual(['one', 'three', 'two']);
      expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, badSeq: 2, entries: 1 });
      const cli = await verifyWithCli();
      expect(cli.code).toBe(1);
      expect(cli.stderr).toContain('audit log TAMPERED: entry 2:');
    });
  });
});
