import type { CampaignDto } from '../../../shared/contracts/campaigns.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { getCampaign } from './campaign-read.service.ts';
import { actorUserId, type Deps, type Meta } from './campaigns.deps.ts';
import { lockVariant, markVariantApproved } from './variants.repository.ts';

/**
 * Approves one variant at the version the approver saw. The approver must hold `campaigns:approve` (checked
 * by the route) and must not be its author; a changed version means someone edited it since.
 */
export async function approveVariant(
  deps: Deps,
  campaignId: string,
  variantId: string,
  version: number,
  meta: Meta,
): Promise<CampaignDto> {
  await deps.db.transaction().execute(async (tx) => {
    const variant = await lockVariant(tx, campaignId, variantId);
    if (!variant) throw notFound('A variant with this id in this campaign');
    const approverId = actorUserId(meta);
    if (!approverId)
      throw new AppError(
        'forbidden',
        'Approvals are given by a person signed in, not by a token or the CLI.',
      );
    if (variant.author_id === approverId) {
      throw new AppError(
        'forbidden',
        'You wrote this variant: someone else with the legal role must approve it.',
      );
    }
    if (variant.version !== version) {
      throw new AppError(
        'conflict',
        `Variant "${variant.name}" changed since you read it (now version ${variant.version}); review it again.`,
      );
    }
    if (variant.approved_version === version)
      throw new AppError('conflict', 'This version is already approved.');
    // What the approver was shown (the console's approve dialog lists it): kept with the approval.
    const shown = (await getCampaign(tx, campaignId)).variants.find((v) => v.id === variantId);
    if (!(await markVariantApproved(tx, variantId, version, { id: approverId, label: meta.actor.label })))
      throw new AppError('conflict', 'The variant changed; review it again.');
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'campaign.variant_approved',
      requestId: meta.requestId,
      target: { type: 'campaign', id: campaignId },
      details: {
        variantId,
        version,
        consistencyWarnings: (shown?.consistency ?? []).map((w) => `${w.locale}:${w.kind}:${w.category}`),
      },
    });
  });
  return getCampaign(deps.db, campaignId);
}
