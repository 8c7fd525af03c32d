import { sql } from 'kysely';
import type { Config } from '../../config.ts';
import type { Db, Executor } from '../../db/database.ts';
import { recordAudit, systemActor } from '../../platform/audit/audit-log.ts';
import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import type { Logger } from '../../platform/logging/logger.ts';
import { appendTimeline, recordFirstNotice } from '../incidents/index.ts';
import type { CampaignPort, CampaignRef, SendingCampaign } from '../outbound/index.ts';
import { personReach } from '../people/index.ts';
import { settingsOf } from './campaign-definition.ts';
import { launch } from './campaign-lifecycle.service.ts';
import type { Preparations } from './campaign-prepare.ts';
import { preparingCampaignIds } from './campaigns.repository.ts';
import { type CampaignRow, createBatchRenderer, type RenderOptions } from './render-claimed.ts';

/**
 * The campaigns module's side of the outbound engine (registered with `outbound.serveCampaigns`): which
 * campaigns send (scheduled ones start when their time comes; started ones send once their rows are
 * prepared, and each pass kicks the preparations), at what rate, how a batch renders, the fallback chain
 * over the channels that reach a person, and what a pause or the finish writes (timeline and audit, in the
 * transaction outbound opens). Outbound owns the rows and the loop.
 */
export function createCampaignPort(
  deps: { db: Db; crypto: PiiCrypto; logger: Logger; config: Config },
  options: RenderOptions & {
    /** Preparations of started campaigns (their delivery rows in batches), kicked on every pass. */
    preparations: Preparations;
    prepareBatch: number;
    /** After a campaign reached everyone in scope (the obligations it fulfils). */
    onFinished?: (campaign: CampaignRef, result: { reached: number; missed: number }) => Promise<void>;
  },
): CampaignPort {
  const renderer = createBatchRenderer(deps, options);
  const rows = new WeakMap<SendingCampaign, CampaignRow>();

  async function rowOf(campaign: SendingCampaign): Promise<CampaignRow> {
    const known = rows.get(campaign);
    if (known) return known;
    return deps.db
      .selectFrom('campaigns')
      .select(COLUMNS)
      .where('id', '=', campaign.id)
      .executeTakeFirstOrThrow();
  }

  return {
    async sendingCampaigns() {
      const due = await deps.db
        .selectFrom('campaigns')
        .select('id')
        .where('status', '=', 'scheduled')
        .where('scheduled_at', '<=', new Date())
        .execute();
      const launchDeps = { db: deps.db, config: deps.config, prepareBatch: options.prepareBatch };
      for (const c of due) {
        await launch(launchDeps, c.id, ['scheduled'], { actor: systemActor }).catch((error: unknown) =>
          deps.logger.warn({ err: error, campaignId: c.id }, 'scheduled campaign could not start'),
        );
      }
      // Started campaigns whose rows are still being created, here or by a process that stopped: each
      // goes on from its checkpoint in the background while this lane sends the running ones.
      options.preparations.kick(await preparingCampaignIds(deps.db));
      const running = await deps.db
        .selectFrom('campaigns')
        .select(COLUMNS)
        .where('status', '=', 'running')
        .execute();
      return running.map((row) => {
        const settings = settingsOf(row);
        const campaign: SendingCampaign = {
          id: row.id,
          incidentId: row.incident_id,
          name: row.name,
          channels: row.channels,
          throttle: settings.throttle,
          errorThreshold: settings.errorThreshold,
        };
        rows.set(campaign, row);
        return campaign;
      });
    },

    isSending: (campaignId) =>
      sql<boolean>`EXISTS (SELECT 1 FROM campaigns WHERE id = ${campaignId} AND status = 'running')`,

    async render(campaign, channel, claimed, workerId) {
      return renderer.render(await rowOf(campaign), channel, claimed, workerId);
    },

    async recordFirstSends(tx, campaign) {
      await recordFirstNotice(tx, campaign.incidentId, {
        summary: `First individual notice sent (campaign "${campaign.name}").`,
        details: { campaignId: campaign.id },
      });
    },

    async pause(tx, campaign, pause) {
      const paused = await tx
        .updateTable('campaigns')
        .set({ status: 'paused', paused_reason: pause.reason, updated_at: new Date() })
        .where('id', '=', campaign.id)
        .where('status', '=', 'running')
        .executeTakeFirst();
      if (Number(paused.numUpdatedRows) !== 1) return false;
      await appendTimeline(tx, {
        incidentId: campaign.incidentId,
        kind: 'campaign',
        actor: systemActor,
        summary: pause.summary,
        details: { campaignId: campaign.id },
      });
      // The automatic pause is audited like the manual one, in the transaction that pauses.
      await recordAudit(tx, {
        actor: systemActor,
        action: 'campaign.paused',
        target: { type: 'campaign', id: campaign.id },
        details: { automatic: true, ...pause.details },
      });
      return true;
    },

    nextChannel: (tx, target) => nextChannelFor(tx, target),

    async reopen(tx, campaignId) {
      await tx
        .updateTable('campaigns')
        .set({ status: 'running', finished_at: null, updated_at: new Date() })
        .where('id', '=', campaignId)
        .where('status', '=', 'finished')
        .execute();
    },

    async lockIfRunning(tx, campaignId) {
      const row = await tx
        .selectFrom('campaigns')
        .select('id')
        .where('id', '=', campaignId)
        .where('status', '=', 'running')
        .forUpdate()
        .executeTakeFirst();
      return row !== undefined;
    },

    async finish(tx, campaign, { reached, missed }) {
      await tx
        .updateTable('campaigns')
        .set({ status: 'finished', finished_at: new Date(), updated_at: new Date() })
        .where('id', '=', campaign.id)
        .where('status', '=', 'running')
        .execute();
      await appendTimeline(tx, {
        incidentId: campaign.incidentId,
        kind: 'campaign',
        actor: systemActor,
        summary: `Campaign "${campaign.name}" finished: ${reached.toLocaleString('en-US')} people notified, ${missed.toLocaleString('en-US')} not reached.`,
        details: { campaignId: campaign.id, reached, missed },
      });
      await recordAudit(tx, {
        actor: systemActor,
        action: 'campaign.finished',
        target: { type: 'campaign', id: campaign.id },
        details: { reached, missed },
      });
    },

    async afterFinish(campaign, result) {
      await options.onFinished?.(campaign, result);
    },

    close: () => renderer.close(),
  };
}

const COLUMNS = [
  'id',
  'incident_id',
  'name',
  'channels',
  'email_from',
  'reply_to',
  'default_locale',
  'settings',
  'activation_categories',
] as const;

/** The first channel of the campaign's chain, from `fromStep` on, that reaches the person. */
async function nextChannelFor(
  tx: Executor,
  target: { campaignId: string; incidentId: string; pn: number; fromStep: number },
) {
  const campaign = await tx
    .selectFrom('campaigns')
    .select('channels')
    .where('id', '=', target.campaignId)
    .executeTakeFirst();
  const reach = await personReach(tx, target.incidentId, target.pn);
  if (!campaign || !reach) return null;
  for (let step = target.fromStep; step < campaign.channels.length; step++) {
    const channel = campaign.channels[step]!;
    if (reach[channel]) return { channel, step };
  }
  return null;
}
