import type { ConsistencySettings } from '../../../shared/contracts/consistency.ts';
import type { Db } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { readConsistencySettings, writeConsistencySettings } from '../../platform/settings/consistency.ts';
import type { Meta } from './notice.deps.ts';

/** Saves the notice wording settings and audits how many categories carry company phrases (never the words). */
export async function saveWording(
  db: Db,
  settings: ConsistencySettings,
  meta: Meta,
): Promise<ConsistencySettings> {
  await db.transaction().execute(async (tx) => {
    await writeConsistencySettings(tx, settings, meta.actor.label);
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'settings.consistency_changed',
      requestId: meta.requestId,
      details: {
        threshold: settings.threshold,
        categoriesWithPhrases: Object.keys(settings.phrases).length,
      },
    });
  });
  return readConsistencySettings(db);
}
