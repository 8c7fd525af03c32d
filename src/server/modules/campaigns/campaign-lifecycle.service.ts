import type { CampaignDto } from '../../../shared/contracts/campaigns.ts';
import type { CampaignStatus } from '../../db/schema.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { appendTimeline } from '../incidents/index.ts';
import { makeHeldDeliveriesDue } from '../outbound/index.ts';
import { peopleCounts } from '../people/index.ts';
import { prepareBatch } from './campaign-prepare.ts';
import { getCampaign } from './campaign-read.service.ts';
import type { Deps, Meta } from './campaigns.deps.ts';
import {
  lockCampaignRow,
  lockPreparingCampaign,
  markPreparing,
  moveCampaignRow,
} from './campaigns.repository.ts';
import { unapprovedVariantNames, variantsForLaunch } from './variants.repository.ts';

/**
 * The lifecycle draft → scheduled → preparing → running ⇄ paused → finished (or cancelled). Every move is
 * guarded on the campaign's status in SQL. Starting creates the delivery rows in bounded batches
 * (`campaign-prepare.ts`): preparing until every row exists, then running.
 */

/** What starting uses: the services' dependencies and the rows per batch of the preparation. */
export type LaunchDeps = Deps & { prepareBatch: number };

/**
 * Starts now (the first batch of delivery rows at once, the rest in the background) or schedules. Every variant must be approved at its current
 * version, and every person must match a variant.
 */
export async function startCampaign(
  deps: LaunchDeps,
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

/**
 * Moves to preparing, records the start (timeline and audit, once) and creates the first batch of rows, in
 * one transaction guarded on the campaign's status. A campaign of fewer people than a batch is running when
 * it commits; a larger one goes on in the background (`campaign-prepare.ts`) and sends once every row
 * exists.
 */
export async function launch(
  deps: LaunchDeps,
  campaignId: string,
  from: string[],
  meta: Meta,
): Promise<boolean> {
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
    // Every person of the incident gets one row (suppressed when no channel reaches them).
    const recipients = (await peopleCounts(tx, [row.incident_id])).get(row.incident_id) ?? 0;
    await markPreparing(tx, campaignId, recipients);
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
    const preparing = await lockPreparingCampaign(tx, campaignId);
    if (!preparing) throw new Error('a campaign moved to preparing was not found in its own transaction');
    await prepareBatch(tx, deps, preparing, deps.prepareBatch);
    return true;
  });
}

const transitions = {
  pause: { from: ['preparing', 'running', 'scheduled'], to: 'paused' },
  resume: { from: ['paused'], to: 'running' },
  cancel: { from: ['draft', 'scheduled', 'preparing', 'running', 'paused'], to: 'cancelled' },
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
    // A campaign paused before it ever started resumes as a draft waiting to be started; one paused while
    // its rows were being created resumes preparing, from its checkpoint.
    const target = action !== 'resume' ? to : !row.started_at ? 'draft' : !row.prepared_at ? 'preparing' : to;
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
