import { type CompanyProfile, companyProfile } from '../../../shared/contracts/obligations.ts';
import type { Executor } from '../../db/database.ts';
import { readSetting } from '../../platform/settings/settings.ts';

/** The company facts the obligations engine needs; incidents may override the entity flags. */
export const COMPANY_PROFILE_KEY = 'company_profile';

export const defaultCompanyProfile: CompanyProfile = {
  entity: { hipaa: false, sec: false, nydfs: false, ftc_safeguards: false },
  policyDays: 30,
  timezone: 'UTC',
};

export function readCompanyProfile(db: Executor): Promise<CompanyProfile> {
  return readSetting(db, COMPANY_PROFILE_KEY, companyProfile, defaultCompanyProfile);
}
