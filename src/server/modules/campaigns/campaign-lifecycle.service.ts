import type { CampaignDto, VariantRule } from '../../../shared/contracts/campaigns.ts';
import type { CampaignStatus } from '../../db/schema.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { appendTimeline } from '../incidents/index.ts';
import { insertCampaignDeliveries, makeHeldDeliveriesDue, messageIdHost } from '../outbound/index.ts';
import { getCampaign } from './campaign-read.service.ts';
import type { Deps, Meta } from './campaigns.deps.ts';
import { chosenRecipients, lockCampaignRow, markRunning, moveCampaignRow } from './campaigns.repository.ts';
import { unapprovedVariantNames, variantsForLaunch } from './variants.repository.ts';

/**
 * The lifecycle draft → scheduled → running ⇄ paused → finished (or cancelled). Every move is guarded on
 * the campaign's status in SQL; starting creates every delivery row in one set-based statement.
 */

/**
 * Starts now (creating every delivery row) or schedules. Every variant must be approved at its current
 * version, and every person must match a variant.
 */
export async function startCampaign(
  deps: Deps,
  campaignId: string,
  at: Date | null,
  meta: Meta,
): Promise<CampaignDto> {
  const before = await getCampaign(deps.db, campaignId);
  if (!['draft', 'scheduled'].includes(before.status)) {
    throw new AppError(
      'conflict',
      `The campaign is ${before.status}; only a draft or scheduled campaign starts.`,
    );
  }
  if (before.blockers.length > 0)
    throw new AppError('conflict', `Cannot start yet. ${before.blockers.join(' ')}`);
  if (at && at.getTime() > Date.now() + 5_000) {
    await deps.db.transaction().execute(async (tx) => {
      const isScheduled = await moveCampaignRow(tx, campaignId, ['draft', 'scheduled'], {
        status: 'scheduled',
        scheduled_at: at,
      });
      if (!isScheduled) throw new AppError('conflict', 'The campaign changed; reload it.');
      await appendTimeline(tx, {
        incidentId: before.incidentId,
        kind: 'campaign',
        actor: meta.actor,
        summary: `Campaign "${before.name}" scheduled for ${at.toISOString()}.`,
        details: { campaignId },
      });
      await recordAudit(tx, {
        actor: meta.actor,
        action: 'campaign.scheduled',
        requestId: meta.requestId,
        target: { type: 'campaign', id: campaignId },
        details: { at: at.toISOString() },
      });
    });
    return getCampaign(deps.db, campaignId);
  }
  await launch(deps, campaignId, ['draft', 'scheduled'], meta);
  return getCampaign(deps.db, campaignId);
}

/** Moves to running and creates the deliveries, in one transaction guarded on the campaign's status. */
export async function launch(deps: Deps, campaignId: string, from: string[], meta: Meta): Promise<boolean> {
  return deps.db.transaction().execute(async (tx) => {
    const row = await lockCampaignRow(tx, campaignId, from as CampaignStatus[]);
    if (!row) return false;
    const variants = await variantsForLaunch(tx, campaignId);
    if (variants.length === 0 || variants.some((v) => v.approved_version !== v.version)) {
      throw new AppError(
        'conflict',
        'Every variant must be approved at its current version before the campaign starts.',
      );
    }
    const selection = variants.map((v) => ({
      id: v.id,
      isDefault: v.is_default,
      rule: v.rule as VariantRule,
    }));
    const recipients = await insertCampaignDeliveries(tx, {
      campaignId,
      channels: row.channels,
      host: messageIdHost(deps.config.publicUrl),
      chosen: chosenRecipients(tx, row.incident_id, selection, row.channels),
    });
    await markRunning(tx, campaignId, recipients);
    await appendTimeline(tx, {
      incidentId: row.incident_id,
      kind: 'campaign',
      actor: meta.actor,
      summary: `Campaign "${row.name}" started: ${recipients.toLocaleString('en-US')} people, by ${row.channels.join(' → ')}.`,
      details: { campaignId, recipients },
    });
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'campaign.started',
      requestId: meta.requestId,
      target: { type: 'campaign', id: campaignId },
      details: { recipients },
    });
    return true;
  });
}

const transitions = {
  pause: { from: ['running', 'scheduled'], to: 'paused' },
  resume: { from: ['paused'], to: 'running' },
  cancel: { from: ['draft', 'scheduled', 'running', 'paused'], to: 'cancelled' },
} as const;

const pastTense = { pause: 'paused', resume: 'resumed', cancel: 'cancelled' } as const;

export async function moveCampaign(
  deps: Deps,
  campaignId: string,
  action: keyof typeof transitions,
  meta: Meta,
  reason?: string,
): Promise<CampaignDto> {
  const { from, to } = transitions[action];
  await deps.db.transaction().execute(async (tx) => {
    const row = await lockCampaignRow(tx, campaignId);
    if (!row) throw notFound('A campaign with this id');
    if (!(from as readonly string[]).includes(row.status)) {
      throw new AppError(
        'conflict',
        `The campaign is ${row.status}; it cannot ${action} (only from ${from.join(' or ')}).`,
      );
    }
    if (action === 'resume') {
      const unapproved = await unapprovedVariantNames(tx, campaignId);
      if (unapproved.length > 0) {
        throw new AppError(
          'conflict',
          `Edited variants need approval again before resuming: ${unapproved.map((name) => `"${name}"`).join(', ')}.`,
        );
      }
      // Rows held back (activation codes ran out, back-off) are tried again at once.
      await makeHeldDeliveriesDue(tx, row.incident_id, campaignId);
    }
    // A campaign paused before it ever started resumes as a draft waiting to be started.
    const target = action === 'resume' && !row.started_at ? 'draft' : to;
    await moveCampaignRow(tx, campaignId, from, {
      status: target,
      paused_reason: action === 'pause' ? (reason ?? `Paused by ${meta.actor.label}`) : null,
      finished_at: action === 'cancel' ? new Date() : undefined,
    });
    await appendTimeline(tx, {
      incidentId: row.incident_id,
      kind: 'campaign',
      actor: meta.actor,
      summary: `Campaign "${row.name}" ${pastTense[action]}.${reason ? ` ${reason}` : ''}`,
      details: { campaignId, action },
    });
    await recordAudit(tx, {
      actor: meta.actor,
      action: `campaign.${pastTense[action]}`,
      requestId: meta.requestId,
      target: { type: 'campaign', id: campaignId },
    });
  });
  return getCampaign(deps.db, campaignId);
}
