import {
  type ConsistencySettings,
  consistencySettings,
  defaultConsistencySettings,
} from '../../../shared/contracts/consistency.ts';
import type { Executor } from '../../db/database.ts';
import { readSetting, writeSetting } from './settings.ts';

/**
 * The consistency check's company settings (threshold, extra phrases and negations): read by the notice site
 * and by campaigns when legal approves, changed in Settings → Notice wording.
 */
export const CONSISTENCY_KEY = 'consistency_words';

export function readConsistencySettings(db: Executor): Promise<ConsistencySettings> {
  return readSetting(db, CONSISTENCY_KEY, consistencySettings, defaultConsistencySettings);
}

export async function writeConsistencySettings(
  db: Executor,
  value: ConsistencySettings,
  updatedBy: string,
): Promise<void> {
  await writeSetting(db, CONSISTENCY_KEY, value, updatedBy);
}
