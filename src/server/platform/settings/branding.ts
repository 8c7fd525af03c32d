import { type Branding, brandingSchema } from '../../../shared/contracts/branding.ts';
import type { Executor } from '../../db/database.ts';
import { readSetting, writeSetting } from './settings.ts';

/**
 * The company's name, colour and logo: one setting that every message and page affected people see reads
 * (the notice site, its messages, inbox replies and verification codes, campaign notices unless a campaign
 * overrides the name on purpose). Cross-cutting, so it lives here rather than in one feature module.
 */
export const BRANDING_KEY = 'notice_branding';

export type { Branding };

/** What is stored: the name may be missing (an installation nobody named yet). */
const storedSchema = brandingSchema.extend({ companyName: brandingSchema.shape.companyName.nullable() });

/**
 * Shown where a name is needed and none is set. The console warns wherever sending starts while it is in
 * use; older versions also stored it when an admin saved the branding page without naming the company, so
 * a stored "Our company" counts as unset.
 */
export const UNSET_COMPANY_NAME = 'Our company';

export interface BrandingSetting extends Branding {
  /** False while the company has not been named (people would read "Our company"). */
  isCompanyNameSet: boolean;
}

const unset = { companyName: null, primaryColor: '#1f5fbf', logo: null };

export async function readBranding(db: Executor): Promise<BrandingSetting> {
  const stored = await readSetting(db, BRANDING_KEY, storedSchema, unset);
  const isCompanyNameSet = stored.companyName !== null && stored.companyName !== UNSET_COMPANY_NAME;
  return {
    ...stored,
    companyName: isCompanyNameSet ? stored.companyName! : UNSET_COMPANY_NAME,
    isCompanyNameSet,
  };
}

export async function writeBranding(db: Executor, branding: Branding, updatedBy: string): Promise<void> {
  await writeSetting(db, BRANDING_KEY, branding, updatedBy);
}

/**
 * Names the company when nobody has yet (first-run setup, the demo); never replaces a name already set.
 * Returns whether it wrote.
 */
export async function nameCompanyIfUnset(
  db: Executor,
  companyName: string,
  updatedBy: string,
): Promise<boolean> {
  const current = await readBranding(db);
  if (current.isCompanyNameSet) return false;
  await writeBranding(db, { companyName, primaryColor: current.primaryColor, logo: current.logo }, updatedBy);
  return true;
}

/** The console's words while the name is unset, carried by campaign and notice views. */
export const companyNameUnsetWarning = `The company name is not set: people would read “${UNSET_COMPANY_NAME}” as the sender. An admin names the company in Settings → Branding.`;
