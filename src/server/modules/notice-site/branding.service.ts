import type { Branding, BrandingView } from '../../../shared/contracts/branding.ts';
import type { Db } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError } from '../../platform/errors.ts';
import type { Deps, Meta } from './notice.deps.ts';
import { readBranding, renderAllSites, writeBranding } from './site.ts';

/** Settings → Branding: the company's name, colour and logo; saving re-renders every published site. */

export async function getBranding(db: Db): Promise<BrandingView> {
  const b = await readBranding(db);
  return {
    companyName: b.isCompanyNameSet ? b.companyName : null,
    primaryColor: b.primaryColor,
    logo: b.logo
      ? { contentType: b.logo.contentType, size: Buffer.from(b.logo.dataBase64, 'base64').length }
      : null,
  };
}

export const MAX_LOGO_BYTES = 200 * 1024;

/** Magic numbers of the accepted logo types: the bytes must be what the type says. */
function logoMatches(contentType: string, bytes: Buffer): boolean {
  if (contentType === 'image/png') return bytes.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex'));
  if (contentType === 'image/jpeg') return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  return (
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  );
}

/** Refuses a logo over the limit, or whose bytes are not the type it claims. */
function checkLogo(logo: NonNullable<Branding['logo']>): void {
  const bytes = Buffer.from(logo.dataBase64, 'base64');
  if (bytes.length > MAX_LOGO_BYTES) {
    throw new AppError(
      'bad_request',
      `The logo is ${Math.ceil(bytes.length / 1024)} kB; the limit is 200 kB.`,
    );
  }
  if (!logoMatches(logo.contentType, bytes)) {
    throw new AppError('bad_request', `The logo is not a ${logo.contentType.slice(6).toUpperCase()} image.`);
  }
}

/** Saves the branding (`logo` undefined keeps the current one, null removes it). */
export async function setBranding(
  deps: Deps,
  input: Omit<Branding, 'logo'> & { logo?: Branding['logo'] | undefined },
  meta: Meta,
): Promise<BrandingView> {
  const current = await readBranding(deps.db);
  const logo = input.logo === undefined ? current.logo : input.logo;
  if (logo && input.logo) checkLogo(logo);
  await deps.db.transaction().execute(async (tx) => {
    await writeBranding(
      tx,
      { companyName: input.companyName, primaryColor: input.primaryColor, logo },
      meta.actor.label,
    );
    const sites = await renderAllSites(tx, deps.config.noticeUrl);
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'settings.branding_changed',
      requestId: meta.requestId,
      details: { logo: logo !== null, sitesRendered: sites },
    });
  });
  return getBranding(deps.db);
}
