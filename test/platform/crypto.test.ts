import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateKeys } from '../../src/server/modules/keys/keys.service.ts';
import { systemActor } from '../../src/server/platform/audit/audit-log.ts';
import { createPiiCrypto, type PiiCrypto } from '../../src/server/platform/crypto/data-keys.ts';
import { DecryptionError, keyIdOf, open, seal } from '../../src/server/platform/crypto/envelope.ts';
import {
  loadMasterKeys,
  type MasterKeyRing,
  masterKeyId,
  readKeyFile,
} from '../../src/server/platform/crypto/master-keys.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { makeTempDir, newMasterKey } from './helpers.ts';

const CONTEXT = 'pii_probe.email';
const values = Array.from(
  { length: 50 },
  (_, i) => `person-${i}.${randomBytes(3).toString('hex')}@example.test`,
);

describe('the envelope', () => {
  const key = randomBytes(32);
  const plaintext = Buffer.from('maria.ostrowska@example.test');
  const sealed = seal(key, 'dk_0123456789ab', plaintext, CONTEXT);

  it('opens what it sealed and names the key in the ciphertext', () => {
    expect(open(key, sealed, CONTEXT).equals(plaintext)).toBe(true);
    expect(keyIdOf(sealed)).toBe('dk_0123456789ab');
    expect(sealed.includes(plaintext)).toBe(false);
  });

  it('uses a fresh IV per seal, so equal values do not give equal ciphertexts', () => {
    expect(seal(key, 'dk_0123456789ab', plaintext, CONTEXT).equals(sealed)).toBe(false);
  });

  // pins: an attacker with write access to the database flipping bits in a stored value
  it('refuses a ciphertext with any single byte altered (header, IV, tag or body)', () => {
    const accepted: string[] = [];
    const wrongError: string[] = [];
    // Bytes 0..16 header (version, id length, id), 17..28 IV, 29..44 tag, the rest the body.
    for (const mask of [0x01, 0x80, 0xff]) {
      for (let i = 0; i < sealed.length; i++) {
        const tampered = Buffer.from(sealed);
        tampered[i] = tampered[i]! ^ mask;
        try {
          open(key, tampered, CONTEXT);
          accepted.push(`byte ${i} ^ ${mask}`);
        } catch (error) {
          if (!(error instanceof DecryptionError)) wrongError.push(`byte ${i} ^ ${mask}: ${String(error)}`);
        }
      }
    }
    expect(accepted).toEqual([]);
    expect(wrongError).toEqual([]);
  });

  // pins: copying a ciphertext from one column into another (e.g. a secret into a displayed field)
  it('refuses a ciphertext opened under another context', () => {
    expect(() => open(key, sealed, 'users.display_name')).toThrow(DecryptionError);
  });

  it('refuses a ciphertext opened with another key', () => {
    expect(() => open(randomBytes(32), sealed, CONTEXT)).toThrow(DecryptionError);
  });
});

describe('PiiCrypto on a fresh database', () => {
  let database: TestDatabase;
  let crypto: PiiCrypto;
  beforeAll(async () => {
    database = await createTestDatabase();
    crypto = await createPiiCrypto(database.db, loadMasterKeys({ masterKey: newMasterKey() }).ring);
  });
  afterAll(async () => {
    crypto.close();
    await database.drop();
  });

  it('round-trips a value and refuses it under another context', async () => {
    const sealed = crypto.encrypt('+48 601 555 123', 'people.phone');
    expect(await crypto.decrypt(sealed, 'people.phone')).toBe('+48 601 555 123');
    await expect(crypto.decrypt(sealed, 'people.email')).rejects.toThrow(DecryptionError);
  });

  it('makes blind indexes that are deterministic per namespace and keyed', () => {
    const value = 'maria.ostrowska@example.test';
    const index = crypto.blindIndex('email', value);
    expect(index).toHaveLength(32);
    expect(crypto.blindIndex('email', value).equals(index)).toBe(true);
    expect(crypto.blindIndex('phone', value).equals(index)).toBe(false);
    expect(crypto.blindIndex('email', 'maria.ostrowska@example.tes').equals(index)).toBe(false);
    // pins: an attacker with a dump confirming a guessed value by hashing it
    expect(index.equals(createHash('sha256').update(value).digest())).toBe(false);
    expect(index.equals(createHash('sha256').update(`email\0${value}`).digest())).toBe(false);
  });
});

async function dataKeyRows(database: TestDatabase) {
  return database.db.selectFrom('data_keys').selectAll().execute();
}

/** Each PiiCrypto stands for a separate process on the same database; all are closed at the end. */
function cryptoProcesses(database: () => TestDatabase) {
  const started: PiiCrypto[] = [];
  return {
    async start(ring: MasterKeyRing): Promise<PiiCrypto> {
      const crypto = await createPiiCrypto(database().db, ring);
      started.push(crypto);
      return crypto;
    },
    stopAll: () => {
      for (const crypto of started) crypto.close();
    },
  };
}

describe('rotation with a key file', () => {
  let database: TestDatabase;
  const temp = makeTempDir();
  const keyFile = path.join(temp.dir, 'keys', 'keys.json');
  const processes = cryptoProcesses(() => database);
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    processes.stopAll();
    await database.drop();
    temp.remove();
  });

  it('adds a master key to the file, re-wraps every data key, and keeps all values readable', async () => {
    const loaded = loadMasterKeys({ defaultKeyFile: keyFile });
    expect(loaded.createdFile).toBe(keyFile);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const oldRing = loaded.ring;
    const before = await processes.start(oldRing);
    const oldSealed = values.map((v) => before.encrypt(v, CONTEXT));
    const oldIndexes = values.map((v) => before.blindIndex('email', v));
    const oldFile = JSON.parse(fs.readFileSync(keyFile, 'utf8'));

    const result = await rotateKeys(
      { db: database.db, crypto: before, masterKeys: oldRing },
      { actor: systemActor },
    );

    const newFile = JSON.parse(fs.readFileSync(keyFile, 'utf8'));
    expect(newFile.active).not.toBe(oldFile.active);
    expect(newFile.previous).toEqual([oldFile.active]);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const newMasterId = masterKeyId(Buffer.from(newFile.active, 'base64'));
    expect(result.masterKeyId).toBe(newMasterId);
    expect(result.rewrapped).toBe(2);

    // A process started after the rotation reads only the file.
    const after = await processes.start(readKeyFile(keyFile));
    for (const [i, sealed] of oldSealed.entries()) {
      expect(await after.decrypt(sealed, CONTEXT)).toBe(values[i]);
    }
    const fresh = after.encrypt('written after rotation', CONTEXT);
    expect(keyIdOf(fresh)).toBe(result.newDataKeyId);
    expect(keyIdOf(fresh)).not.toBe(keyIdOf(oldSealed[0]!));
    expect(await after.decrypt(fresh, CONTEXT)).toBe('written after rotation');
    expect(await before.decrypt(fresh, CONTEXT)).toBe('written after rotation');
    expect(values.map((v) => after.blindIndex('email', v))).toEqual(oldIndexes);

    const rows = await dataKeyRows(database);
    expect(rows.map((r) => r.master_key_id)).toEqual(rows.map(() => newMasterId));
    expect(
      rows
        .filter((r) => r.is_active)
        .map((r) => r.purpose)
        .sort(),
    ).toEqual(['blind_index', 'encryption']);
    expect(rows.find((r) => r.purpose === 'encryption' && r.is_active)?.id).toBe(result.newDataKeyId);
    const audit = await database.db.selectFrom('audit_log').selectAll().execute();
    expect(audit.map((a) => [a.action, a.target_id])).toEqual([['keys.rotated', result.newDataKeyId]]);
  });
});

describe('rotation with CANDOR_MASTER_KEY', () => {
  let database: TestDatabase;
  const keyA = newMasterKey();
  const keyB = newMasterKey();
  const processes = cryptoProcesses(() => database);
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    processes.stopAll();
    await database.drop();
  });

  it('moves every data key to the new master key, after which the old one is not needed', async () => {
    const ringA = loadMasterKeys({ masterKey: keyA }).ring;
    const cryptoA = await processes.start(ringA);
    const sealed = values.slice(0, 10).map((v) => cryptoA.encrypt(v, CONTEXT));
    const index = cryptoA.blindIndex('email', values[0]!);
    const first = await rotateKeys(
      { db: database.db, crypto: cryptoA, masterKeys: ringA },
      { actor: systemActor },
    );
    expect(first.rewrapped).toBe(0);
    sealed.push(cryptoA.encrypt(values[10]!, CONTEXT));

    // The operator sets the new key and moves the old one to CANDOR_MASTER_KEY_PREVIOUS.
    const ringBA = loadMasterKeys({ masterKey: keyB, previousMasterKeys: keyA }).ring;
    const cryptoBA = await processes.start(ringBA);
    const second = await rotateKeys(
      { db: database.db, crypto: cryptoBA, masterKeys: ringBA },
      { actor: systemActor },
    );
    expect(second.rewrapped).toBe(3);
    sealed.push(cryptoBA.encrypt(values[11]!, CONTEXT));
    const rows = await dataKeyRows(database);
    expect(rows).toHaveLength(4);
    expect(new Set(rows.map((r) => r.master_key_id))).toEqual(
      new Set([masterKeyId(Buffer.from(keyB, 'base64'))]),
    );

    const cryptoB = await processes.start(loadMasterKeys({ masterKey: keyB }).ring);
    for (const [i, ciphertext] of sealed.entries()) {
      expect(await cryptoB.decrypt(ciphertext, CONTEXT)).toBe(values[i]);
    }
    expect(cryptoB.blindIndex('email', values[0]!).equals(index)).toBe(true);
  });

  it('refuses to start without the master key of a data key, naming both keys', async () => {
    const ids = (await dataKeyRows(database)).map((r) => r.id);
    const error = await processes.start(loadMasterKeys({ masterKey: keyA }).ring).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain(masterKeyId(Buffer.from(keyB, 'base64')));
    expect(ids.some((id) => message.includes(id))).toBe(true);
    expect(message).toContain('CANDOR_MASTER_KEY_PREVIOUS');
  });
});

describe('the key file', () => {
  // pins: another local user reading the master key from a world-readable key file
  it('is refused when others may read it, with the chmod that fixes it', () => {
    const temp = makeTempDir();
    try {
      const file = path.join(temp.dir, 'keys.json');
      fs.writeFileSync(file, JSON.stringify({ active: newMasterKey(), previous: [] }));
      fs.chmodSync(file, 0o644);
      expect(() => loadMasterKeys({ keyFile: file })).toThrow(`chmod 600 ${file}`);
      fs.chmodSync(file, 0o600);
      expect(loadMasterKeys({ keyFile: file }).ring.source).toEqual({ kind: 'file', path: file });
    } finally {
      temp.remove();
    }
  });
});
