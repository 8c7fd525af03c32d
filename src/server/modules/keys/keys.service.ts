import type { Actor } from '../../platform/audit/audit-log.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { dataKeySummaries, type RotationResult, rotateDataKeys } from '../../platform/crypto/data-keys.ts';
import { addMasterKeyToFile, type MasterKeyRing } from '../../platform/crypto/master-keys.ts';

type Deps = Pick<PlatformContext, 'db' | 'crypto'> & { masterKeys: MasterKeyRing };

/**
 * `candor keys rotate` and the console's button. With a key file, a new master key is added first (the old
 * ones stay in the file, readable); with CANDOR_MASTER_KEY the operator supplies the new key and moves the
 * old one to CANDOR_MASTER_KEY_PREVIOUS. Then, in one transaction: a new active data key, every data key
 * re-wrapped under the active master key, and the audit entry. Values written under earlier data keys stay
 * readable (their keys are kept); running processes pick up the new keys on their next refresh.
 */
export async function rotateKeys(
  deps: Deps,
  meta: { actor: Actor; requestId?: string | undefined },
): Promise<RotationResult & { ring: MasterKeyRing }> {
  const ring =
    deps.masterKeys.source.kind === 'file'
      ? addMasterKeyToFile(deps.masterKeys.source.path)
      : deps.masterKeys;
  const result = await deps.db.transaction().execute(async (tx) => {
    const rotation = await rotateDataKeys(tx, ring);
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'keys.rotated',
      requestId: meta.requestId,
      target: { type: 'data_key', id: rotation.newDataKeyId },
      details: {
        masterKeyId: rotation.masterKeyId,
        rewrapped: rotation.rewrapped,
        masterKeySource: ring.source.kind,
      },
    });
    return rotation;
  });
  await deps.crypto.refresh();
  return { ...result, ring };
}

export async function listDataKeys(deps: Pick<PlatformContext, 'db'>) {
  const rows = await dataKeySummaries(deps.db);
  return rows.map((r) => ({
    id: r.id,
    purpose: r.purpose,
    masterKeyId: r.master_key_id,
    isActive: r.is_active,
    createdAt: new Date(r.created_at).toISOString(),
    rewrappedAt: r.rewrapped_at ? new Date(r.rewrapped_at).toISOString() : null,
  }));
}
