import type { Exposure } from '../../../shared/consistency/check.ts';
import type { CampaignDto, VariantDto, VariantRule } from '../../../shared/contracts/campaigns.ts';
import { categories, categoriesOf } from '../../../shared/taxonomy.ts';
import type { Executor } from '../../db/database.ts';
import { notFound } from '../../platform/errors.ts';
import { readBranding } from '../../platform/settings/branding.ts';
import { readConsistencySettings } from '../../platform/settings/consistency.ts';
import { staffEmails } from '../auth/index.ts';
import { settingsOf, warningsFor } from './campaign-definition.ts';
import {
  activationCodeCounts,
  audienceCells,
  campaignIdsOf,
  findCampaignRow,
} from './campaigns.repository.ts';
import { companyNameView } from './company-name.ts';
import { variantConsistency } from './variant-consistency.ts';
import { orderedVariants } from './variants.repository.ts';

/**
 * A campaign as the console shows it: its definition, each variant's audience, approval and what its texts
 * say that the data contradicts, who can be reached by which channel, and what still blocks the start.
 */

type Cells = Awaited<ReturnType<typeof audienceCells>>;

/** Per variant: how many people and what they had exposed; per first channel: how many. */
function tally(cells: Cells) {
  const audienceOf = new Map<string | null, number>();
  const exposureOf = new Map<string | null, Exposure>();
  const byChannel: Record<string, number> = {};
  let unreachable = 0;
  let total = 0;
  let needed = 0;
  for (const c of cells) {
    const n = Number(c.n);
    total += n;
    needed += Number(c.needing_code);
    audienceOf.set(c.variant_id, (audienceOf.get(c.variant_id) ?? 0) + n);
    const exposure = exposureOf.get(c.variant_id) ?? { people: 0, counts: {} };
    exposure.people += n;
    for (const category of categories) {
      const k = Number((c as Record<string, unknown>)[`c_${category}`] ?? 0);
      if (k > 0) exposure.counts[category] = ((exposure.counts[category] as number | undefined) ?? 0) + k;
    }
    exposureOf.set(c.variant_id, exposure);
    if (c.channel) byChannel[c.channel] = (byChannel[c.channel] ?? 0) + n;
    else unreachable += n;
  }
  return { audienceOf, exposureOf, byChannel, unreachable, total, needed };
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export async function getCampaign(db: Executor, campaignId: string): Promise<CampaignDto> {
  const row = await findCampaignRow(db, campaignId);
  if (!row) throw notFound('A campaign with this id');
  const variants = await orderedVariants(db, campaignId);
  const emails = await staffEmails(
    db,
    variants.flatMap((v) => [v.author_id, v.approved_by_id]),
  );
  const emailOf = (id: string | null) => (id ? emails.get(id) : undefined);
  const selection = variants.map((v) => ({ id: v.id, isDefault: v.is_default, rule: v.rule as VariantRule }));
  const [cells, codes] = await Promise.all([
    audienceCells(db, row.incident_id, {
      selection,
      channels: row.channels,
      activationCategories: row.activation_categories,
    }),
    activationCodeCounts(db, campaignId),
  ]);
  const { audienceOf, exposureOf, byChannel, unreachable, total, needed } = tally(cells);
  const [branding, wording] = await Promise.all([readBranding(db), readConsistencySettings(db)]);
  const variantDtos: VariantDto[] = variants.map((v) => ({
    id: v.id,
    name: v.name,
    position: v.position,
    isDefault: v.is_default,
    rule: v.rule as VariantRule,
    content: v.content as VariantDto['content'],
    version: v.version,
    // Staff are named by their account email (shown to staff only); tokens and the CLI by their label.
    author: emailOf(v.author_id) ?? v.author,
    authorId: v.author_id,
    approved: v.approved_version === v.version,
    approvedBy: v.approved_version === v.version ? (emailOf(v.approved_by_id) ?? v.approved_by) : null,
    approvedAt:
      v.approved_version === v.version && v.approved_at ? new Date(v.approved_at).toISOString() : null,
    audience: audienceOf.get(v.id) ?? 0,
    warnings: warningsFor(v.content),
    consistency: variantConsistency(v.content, exposureOf.get(v.id) ?? { people: 0, counts: {} }, wording),
  }));
  const blockers: string[] = [];
  const unapproved = variantDtos.filter((v) => !v.approved);
  if (unapproved.length > 0) {
    blockers.push(
      `Waiting for approval by legal: ${unapproved.map((v) => `"${v.name}"`).join(', ')} (the author cannot approve their own).`,
    );
  }
  const unmatched = audienceOf.get(null) ?? 0;
  if (unmatched > 0) blockers.push(`${unmatched} people match no variant: add a default variant.`);
  if (total === 0) blockers.push('The incident has no affected people yet: import them first.');
  const settings = settingsOf(row);
  return {
    id: row.id,
    incidentId: row.incident_id,
    name: row.name,
    status: row.status,
    channels: row.channels,
    emailFrom: row.email_from,
    replyTo: row.reply_to,
    defaultLocale: row.default_locale,
    ...companyNameView(settings, branding),
    contact: settings.contact,
    activationCodesFor: categoriesOf(row.activation_categories),
    activationCodes: { total: Number(codes.total), assigned: Number(codes.assigned), needed },
    throttle: settings.throttle,
    errorThreshold: settings.errorThreshold,
    scheduledAt: iso(row.scheduled_at),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    pausedReason: row.paused_reason,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    variants: variantDtos,
    reach: { byChannel, unreachable, total },
    readyToStart: blockers.length === 0 && ['draft', 'scheduled'].includes(row.status),
    blockers,
  };
}

/** Newest first, without their variants. */
export async function listCampaigns(db: Executor, incidentId: string) {
  const all = await Promise.all((await campaignIdsOf(db, incidentId)).map((id) => getCampaign(db, id)));
  return all.map(({ variants: _variants, ...rest }) => rest);
}
