import type { CampaignDto, CampaignInput, VariantInput } from '../../../shared/contracts/campaigns.ts';
import { type Category, categoryMask } from '../../../shared/taxonomy.ts';
import type { Executor } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { incidentSlug } from '../incidents/index.ts';
import { checkDefinition, sameJson, settingsJson, settingsOf, stripEmpty } from './campaign-definition.ts';
import { getCampaign } from './campaign-read.service.ts';
import { actorUserId, type Deps, type Meta } from './campaigns.deps.ts';
import { insertCampaign, lockCampaignRow, updateCampaignRow } from './campaigns.repository.ts';
import {
  clearApprovals,
  deleteVariants,
  insertVariant,
  parkVariantPositions,
  updateVariant,
  variantNames,
  variantRows,
} from './variants.repository.ts';

/**
 * Writing a campaign: its definition (channels in fallback order, variants with templates per locale). Any
 * edit of a variant makes the editor its author and voids its approval; an edit of what every notice
 * prints besides the variant voids them all.
 */

function refuseProblems(input: CampaignInput): void {
  const problems = checkDefinition(input);
  if (problems.length > 0)
    throw new AppError('validation_failed', problems[0]!.message, { fields: problems });
}

export async function createCampaign(
  deps: Deps,
  incidentId: string,
  input: CampaignInput,
  meta: Meta,
): Promise<CampaignDto> {
  refuseProblems(input);
  const id = await deps.db.transaction().execute(async (tx) => {
    if ((await incidentSlug(tx, incidentId, { lock: false })) === undefined)
      throw notFound('An incident with this id');
    const id = await insertCampaign(tx, {
      incident_id: incidentId,
      name: input.name,
      channels: input.channels,
      email_from: input.emailFrom ?? null,
      reply_to: input.replyTo ?? null,
      default_locale: input.defaultLocale,
      settings: settingsJson(input),
      activation_categories: categoryMask(input.activationCodesFor as Category[]),
      created_by_id: actorUserId(meta),
      created_by: meta.actor.label,
    });
    await writeVariants(tx, id, input.variants, meta);
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'campaign.created',
      requestId: meta.requestId,
      target: { type: 'campaign', id },
      details: { incidentId, variants: input.variants.length },
    });
    return id;
  });
  return getCampaign(deps.db, id);
}

/** Writes the variants as given (matched by name); returns the names whose approval an edit voided. */
async function writeVariants(tx: Executor, campaignId: string, variants: VariantInput[], meta: Meta) {
  const existing = await variantRows(tx, campaignId);
  const byName = new Map(existing.map((v) => [v.name, v]));
  const keep = new Set(variants.map((v) => v.name));
  await deleteVariants(
    tx,
    existing.filter((v) => !keep.has(v.name)).map((v) => v.id),
  );
  await parkVariantPositions(tx, campaignId);
  const voided: string[] = [];
  for (const [position, v] of variants.entries()) {
    const rule = v.rule ?? {};
    const text = {
      is_default: v.default ?? false,
      rule: JSON.stringify(rule),
      content: JSON.stringify(v.content),
      author_id: actorUserId(meta),
      author: meta.actor.label,
    };
    const before = byName.get(v.name);
    if (!before) {
      await insertVariant(tx, { campaign_id: campaignId, name: v.name, position, ...text });
      continue;
    }
    const changed =
      !sameJson(before.rule, rule) ||
      !sameJson(before.content, v.content) ||
      before.is_default !== (v.default ?? false);
    // Any edit makes the editor the author and voids the approval (DESIGN invariant 8).
    await updateVariant(tx, before.id, position, changed ? text : null);
    if (changed && before.approved_version !== null) voided.push(v.name);
  }
  return { voided };
}

export async function updateCampaign(
  deps: Deps,
  campaignId: string,
  input: CampaignInput,
  meta: Meta,
): Promise<CampaignDto> {
  refuseProblems(input);
  await deps.db.transaction().execute(async (tx) => {
    const row = await lockCampaignRow(tx, campaignId);
    if (!row) throw notFound('A campaign with this id');
    if (!['draft', 'scheduled', 'paused'].includes(row.status)) {
      throw new AppError('conflict', `The campaign is ${row.status}; pause it before editing.`);
    }
    // Once deliveries exist, each names its channel and variant: neither may disappear under them.
    if (row.started_at) {
      if (!sameJson(row.channels, input.channels)) {
        throw new AppError(
          'conflict',
          'The campaign has started: its channels cannot change. Cancel it and create a new campaign for other channels.',
        );
      }
      const kept = new Set(input.variants.map((v) => v.name));
      const missing = (await variantNames(tx, campaignId))
        .filter((name) => !kept.has(name))
        .map((n) => `"${n}"`);
      if (missing.length > 0) {
        throw new AppError(
          'conflict',
          `The campaign has started: variants cannot be removed or renamed (${missing.join(', ')}); edit their text instead.`,
        );
      }
    }
    // What every notice prints besides the variant's text: a change needs legal's eyes again on every variant.
    const before = settingsOf(row);
    const printedChanged =
      before.companyName !== (input.companyName ?? '') ||
      !sameJson(stripEmpty(before.contact), stripEmpty(input.contact)) ||
      (row.email_from ?? null) !== (input.emailFrom ?? null) ||
      (row.reply_to ?? null) !== (input.replyTo ?? null) ||
      row.default_locale !== input.defaultLocale ||
      !sameJson(row.channels, input.channels);
    await updateCampaignRow(tx, campaignId, {
      name: input.name,
      channels: input.channels,
      email_from: input.emailFrom ?? null,
      reply_to: input.replyTo ?? null,
      default_locale: input.defaultLocale,
      settings: settingsJson(input),
      activation_categories: categoryMask(input.activationCodesFor as Category[]),
      // A scheduled campaign whose approvals an edit voided waits again for approval.
      status: row.status === 'scheduled' ? 'draft' : row.status,
      scheduled_at: row.status === 'scheduled' ? null : undefined,
    });
    const { voided } = await writeVariants(tx, campaignId, input.variants, meta);
    if (printedChanged) {
      for (const name of await clearApprovals(tx, campaignId)) if (!voided.includes(name)) voided.push(name);
    }
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'campaign.updated',
      requestId: meta.requestId,
      target: { type: 'campaign', id: campaignId },
      details: { approvalsVoided: voided },
    });
  });
  return getCampaign(deps.db, campaignId);
}
