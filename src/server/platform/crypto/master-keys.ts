import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Master keys (key-encryption keys). They wrap the data keys stored in PostgreSQL and never touch the
 * database themselves. Sources: CANDOR_MASTER_KEY (+ CANDOR_MASTER_KEY_PREVIOUS), or a key file
 * (`{"active": base64, "previous": [base64…]}`, mode 0600), generated in the data directory on the first
 * embedded start. A key's id is derived from the key, so the same key always has the same id.
 */
export interface MasterKey {
  id: string;
  key: Buffer;
}

export interface MasterKeyRing {
  active: MasterKey;
  byId: Map<string, MasterKey>;
  /** Where the keys came from: a file can be rotated by Candor, environment keys only by the operator. */
  source: { kind: 'file'; path: string } | { kind: 'env' };
}

export interface MasterKeySettings {
  masterKey?: string | undefined;
  previousMasterKeys?: string | undefined;
  keyFile?: string | undefined;
  /** Set in embedded mode: where to generate a key file when none is configured. */
  defaultKeyFile?: string | undefined;
}

interface KeyFile {
  active: string;
  previous: string[];
}

export function masterKeyId(key: Buffer): string {
  return `mk_${createHash('sha256').update('candor master key id\0').update(key).digest('hex').slice(0, 16)}`;
}

function decodeKey(base64: string, origin: string): MasterKey {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== 32) {
    throw new Error(
      `${origin} must be 32 random bytes in base64 (got ${key.length} bytes); try \`openssl rand -base64 32\``,
    );
  }
  return { id: masterKeyId(key), key };
}

function ringOf(active: MasterKey, previous: MasterKey[], source: MasterKeyRing['source']): MasterKeyRing {
  const byId = new Map<string, MasterKey>();
  for (const key of [active, ...previous]) byId.set(key.id, key);
  return { active, byId, source };
}

/** Loads the master keys; in embedded mode creates the key file on first start (returns isNew). */
export function loadMasterKeys(settings: MasterKeySettings): { ring: MasterKeyRing; createdFile?: string } {
  if (settings.masterKey) {
    const previous = (settings.previousMasterKeys ?? '')
      .split(',')
      .filter((k) => k.trim())
      .map((k) => decodeKey(k, 'CANDOR_MASTER_KEY_PREVIOUS'));
    return { ring: ringOf(decodeKey(settings.masterKey, 'CANDOR_MASTER_KEY'), previous, { kind: 'env' }) };
  }
  const file = settings.keyFile ?? settings.defaultKeyFile;
  if (!file) throw new Error('No master key: set CANDOR_MASTER_KEY or CANDOR_MASTER_KEY_FILE.');
  if (!fs.existsSync(file)) {
    if (settings.keyFile) throw new Error(`CANDOR_MASTER_KEY_FILE ${file} does not exist.`);
    writeKeyFile(file, { active: randomBytes(32).toString('base64'), previous: [] }, 'wx');
    return { ring: readKeyFile(file), createdFile: file };
  }
  return { ring: readKeyFile(file) };
}

export function readKeyFile(file: string): MasterKeyRing {
  const mode = fs.statSync(file).mode & 0o077;
  if (mode !== 0) {
    throw new Error(`The key file ${file} is readable by other users; run \`chmod 600 ${file}\`.`);
  }
  let parsed: KeyFile;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as KeyFile;
  } catch {
    throw new Error(`The key file ${file} is not valid JSON.`);
  }
  if (typeof parsed.active !== 'string' || !Array.isArray(parsed.previous)) {
    throw new Error(`The key file ${file} must hold {"active": "<base64>", "previous": []}.`);
  }
  return ringOf(
    decodeKey(parsed.active, `${file} active key`),
    parsed.previous.map((k) => decodeKey(k, `${file} previous key`)),
    { kind: 'file', path: file },
  );
}

/** Makes a new active master key in the key file, keeping the earlier ones readable. */
export function addMasterKeyToFile(file: string): MasterKeyRing {
  const current = JSON.parse(fs.readFileSync(file, 'utf8')) as KeyFile;
  const next: KeyFile = {
    active: randomBytes(32).toString('base64'),
    previous: [current.active, ...current.previous],
  };
  const temp = `${file}.${process.pid}.tmp`;
  writeKeyFile(temp, next, 'w');
  fs.renameSync(temp, file);
  return readKeyFile(file);
}

function writeKeyFile(file: string, content: KeyFile, flag: 'w' | 'wx'): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag });
}
