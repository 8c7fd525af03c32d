import type { Executor } from '../../db/database.ts';
import {
  type BrandingSetting,
  companyNameUnsetWarning,
  readBranding,
} from '../../platform/settings/branding.ts';
import type { CampaignSettings } from './campaign-definition.ts';

/**
 * Whose name a campaign's notices carry: the company's, from Settings → Branding, like every other message
 * people get; a campaign names the company itself only on purpose (a brand of the group, say), and the
 * console shows that as an override.
 */
export function printedCompanyName(
  settings: Pick<CampaignSettings, 'companyName'>,
  branding: BrandingSetting,
) {
  return settings.companyName.trim() || branding.companyName;
}

export async function printedCompanyNameOf(db: Executor, settings: Pick<CampaignSettings, 'companyName'>) {
  return printedCompanyName(settings, await readBranding(db));
}

export function companyNameView(settings: Pick<CampaignSettings, 'companyName'>, branding: BrandingSetting) {
  const own = settings.companyName.trim() || null;
  const isCompanyNameOverride = own !== null && branding.isCompanyNameSet && own !== branding.companyName;
  const warnings: string[] = [];
  if (!branding.isCompanyNameSet) warnings.push(companyNameUnsetWarning);
  if (isCompanyNameOverride) {
    warnings.push(
      `This campaign names the company “${own}”, not “${branding.companyName}” as in Settings → Branding: its notices say “${own}”, while the notice site and replies say “${branding.companyName}”.`,
    );
  }
  return {
    companyName: own,
    printedCompanyName: printedCompanyName(settings, branding),
    isCompanyNameOverride,
    warnings,
  };
}
