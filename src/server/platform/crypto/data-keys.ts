import { createHmac, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.ts';
import { advisoryLocks } from '../advisory-locks.ts';
import { DecryptionError, keyIdOf, open, seal } from './envelope.ts';
import { type MasterKeyRing, readKeyFile } from './master-keys.ts';

/**
 * The platform's personal-data protection, for every module:
 *  - `encrypt`/`decrypt`: AES-256-GCM envelopes under the active data key; every ciphertext names its key,
 *    so values written under earlier keys stay readable after a rotation.
 *  - `blindIndex`: HMAC-SHA-256 under a separate key over a normalized value, for exact-match lookup
 *    without storing the value.
 * Data keys live in `data_keys`, wrapped by the master key. Processes cache them and reload when they meet
 * a key id they do not know (another process rotated) or every `refreshMs`.
 */
export interface PiiCrypto {
  encrypt(plaintext: string, context: string): Buffer;
  decrypt(ciphertext: Buffer, context: string): Promise<string>;
  /** The same envelopes over bytes (encrypted files such as uploads). */
  encryptBytes(plaintext: Buffer, context: string): Buffer;
  decryptBytes(ciphertext: Buffer, context: string): Promise<Buffer>;
  blindIndex(namespace: string, normalizedValue: string): Buffer;
  refresh(): Promise<void>;
  close(): void;
  /**
   * The active key and the blind-index key, for a worker thread of this process that seals records in
   * parallel (import). Never leaves the process: never log, persist or send it elsewhere.
   */
  keysForWorkerThread(): SealingKeys;
}

export interface SealingKeys {
  activeKeyId: string;
  activeKey: Buffer;
  blindIndexKey: Buffer;
}

/** Encryption and blind indexes from raw keys: the hot path, shared by the process and its worker threads. */
export function sealingCrypto(keys: SealingKeys): Pick<PiiCrypto, 'encrypt' | 'encryptBytes' | 'blindIndex'> {
  return {
    encrypt: (plaintext, context) =>
      seal(keys.activeKey, keys.activeKeyId, Buffer.from(plaintext, 'utf8'), context),
    encryptBytes: (plaintext, context) => seal(keys.activeKey, keys.activeKeyId, plaintext, context),
    blindIndex: (namespace, normalizedValue) =>
      createHmac('sha256', keys.blindIndexKey).update(`${namespace}\0${normalizedValue}`).digest(),
  };
}

const WRAP_CONTEXT = 'candor data key';

interface LoadedKeys {
  activeId: string;
  byId: Map<string, Buffer>;
  blindIndexKey: Buffer;
}

export async function createPiiCrypto(
  db: Db,
  masterKeys: MasterKeyRing,
  options: { refreshMs?: number } = {},
): Promise<PiiCrypto> {
  let ring = masterKeys;
  await ensureDataKeys(db, ring);
  let keys = await loadDataKeys(db, ring);

  const reload = async () => {
    // A rotation in another process may have added a master key to the key file.
    if (ring.source.kind === 'file') ring = readKeyFile(ring.source.path);
    keys = await loadDataKeys(db, ring);
  };
  const timer = setInterval(() => {
    reload().catch(() => {});
  }, options.refreshMs ?? 60_000);
  timer.unref();

  const decryptBytes = async (ciphertext: Buffer, context: string): Promise<Buffer> => {
    const keyId = keyIdOf(ciphertext);
    if (!keys.byId.has(keyId)) await reload();
    const key = keys.byId.get(keyId);
    if (!key) throw new DecryptionError(`data key ${keyId} is unknown`);
    return open(key, ciphertext, context);
  };

  return {
    encrypt(plaintext, context) {
      return seal(keys.byId.get(keys.activeId)!, keys.activeId, Buffer.from(plaintext, 'utf8'), context);
    },
    encryptBytes(plaintext, context) {
      return seal(keys.byId.get(keys.activeId)!, keys.activeId, plaintext, context);
    },
    async decrypt(ciphertext, context) {
      return (await decryptBytes(ciphertext, context)).toString('utf8');
    },
    decryptBytes: (ciphertext, context) => decryptBytes(ciphertext, context),
    blindIndex(namespace, normalizedValue) {
      return createHmac('sha256', keys.blindIndexKey).update(`${namespace}\0${normalizedValue}`).digest();
    },
    refresh: reload,
    keysForWorkerThread: () => ({
      activeKeyId: keys.activeId,
      activeKey: keys.byId.get(keys.activeId)!,
      blindIndexKey: keys.blindIndexKey,
    }),
    close: () => clearInterval(timer),
  };
}

/** Creates the first encryption key and the blind-index key when the database has none (idempotent). */
async function ensureDataKeys(db: Db, ring: MasterKeyRing): Promise<void> {
  for (const purpose of ['encryption', 'blind_index'] as const) {
    await db
      .insertInto('data_keys')
      .values(newDataKey(purpose, ring))
      .onConflict((oc) => oc.column('purpose').where('is_active', '=', true).doNothing())
      .execute();
  }
}

function newDataKey(purpose: 'encryption' | 'blind_index', ring: MasterKeyRing) {
  const id = `dk_${randomBytes(6).toString('hex')}`;
  return {
    id,
    purpose,
    wrapped_key: seal(ring.active.key, ring.active.id, randomBytes(32), `${WRAP_CONTEXT} ${id}`),
    master_key_id: ring.active.id,
    is_active: true,
  };
}

async function loadDataKeys(db: Executor, ring: MasterKeyRing): Promise<LoadedKeys> {
  const rows = await db.selectFrom('data_keys').selectAll().execute();
  const byId = new Map<string, Buffer>();
  let activeId: string | undefined;
  let blindIndexKey: Buffer | undefined;
  for (const row of rows) {
    const master = ring.byId.get(row.master_key_id);
    if (!master) {
      throw new Error(
        `Data key ${row.id} is wrapped by master key ${row.master_key_id}, which is not configured. ` +
          'Add the earlier key to CANDOR_MASTER_KEY_PREVIOUS (or the key file) and run `candor keys rotate`.',
      );
    }
    const key = open(master.key, row.wrapped_key, `${WRAP_CONTEXT} ${row.id}`);
    if (row.purpose === 'blind_index') {
      if (row.is_active) blindIndexKey = key;
      continue;
    }
    byId.set(row.id, key);
    if (row.is_active) activeId = row.id;
  }
  if (!activeId || !blindIndexKey)
    throw new Error('The database has no active data keys; run `candor migrate`.');
  return { activeId, byId, blindIndexKey };
}

export interface RotationResult {
  newDataKeyId: string;
  rewrapped: number;
  masterKeyId: string;
}

/**
 * One rotation, in the caller's transaction: a new active encryption key, and every data key re-wrapped
 * under the active master key. Old data keys stay (retired), so every value stays readable; the blind-index
 * key is re-wrapped but keeps its value (changing it would orphan every index).
 */
export async function rotateDataKeys(tx: Executor, ring: MasterKeyRing): Promise<RotationResult> {
  // Serialize concurrent rotations.
  await sql`SELECT pg_advisory_xact_lock(${advisoryLocks.dataKeyRotation})`.execute(tx);
  const rows = await tx.selectFrom('data_keys').selectAll().forUpdate().execute();
  let rewrapped = 0;
  for (const row of rows) {
    const master = ring.byId.get(row.master_key_id);
    if (!master) throw new Error(`Master key ${row.master_key_id} for data key ${row.id} is not configured.`);
    if (master.id === ring.active.id) continue;
    const key = open(master.key, row.wrapped_key, `${WRAP_CONTEXT} ${row.id}`);
    await tx
      .updateTable('data_keys')
      .set({
        wrapped_key: seal(ring.active.key, ring.active.id, key, `${WRAP_CONTEXT} ${row.id}`),
        master_key_id: ring.active.id,
        rewrapped_at: new Date(),
      })
      .where('id', '=', row.id)
      .where('master_key_id', '=', row.master_key_id)
      .execute();
    rewrapped++;
  }
  await tx
    .updateTable('data_keys')
    .set({ is_active: false })
    .where('purpose', '=', 'encryption')
    .where('is_active', '=', true)
    .execute();
  const fresh = newDataKey('encryption', ring);
  await tx.insertInto('data_keys').values(fresh).execute();
  return { newDataKeyId: fresh.id, rewrapped, masterKeyId: ring.active.id };
}

/** Master key ids still referenced by data keys (an earlier key may be dropped once it is not listed). */
export async function masterKeysInUse(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('data_keys').select('master_key_id').distinct().execute();
  return rows.map((r) => r.master_key_id);
}

/** Every data key without its material, oldest first (what the console's key list shows). */
export function dataKeySummaries(db: Executor) {
  return db
    .selectFrom('data_keys')
    .select(['id', 'purpose', 'master_key_id', 'is_active', 'created_at', 'rewrapped_at'])
    .orderBy('created_at')
    .execute();
}

export { DecryptionError };
