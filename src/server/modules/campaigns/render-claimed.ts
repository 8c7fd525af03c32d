import type { VariantLocaleContent } from '../../../shared/contracts/campaigns.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { recordAudit, systemActor } from '../../platform/audit/audit-log.ts';
import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import type { Logger } from '../../platform/logging/logger.ts';
import { incidentPublicFacts } from '../incidents/index.ts';
import type { Channel, ClaimedDelivery, RenderedBatch } from '../outbound/index.ts';
import { contactsFor } from '../people/index.ts';
import { assignActivationCodes } from './activation-codes.ts';
import { type CampaignSettings, settingsOf } from './campaign-definition.ts';
import { printedCompanyNameOf } from './company-name.ts';
import { personalLink, personalLinkToken } from './links.ts';
import { type RenderJob, type RenderResult, renderBatch } from './render-batch.ts';
import { createRenderPool, type RenderPool } from './render-pool.ts';

/**
 * How a claimed batch of a campaign's rows becomes messages (the render step of the campaign port): the
 * people's contacts decrypted (one audit entry per batch), activation codes assigned to those who qualify,
 * personal links signed, then the variants' templates rendered in the sandbox. Batches of 64 or more render
 * on worker threads, keeping the templates' CPU off the thread that sends.
 */
export interface CampaignRow {
  id: string;
  incident_id: string;
  name: string;
  channels: Channel[];
  email_from: string | null;
  reply_to: string | null;
  default_locale: string;
  settings: Record<string, unknown>;
  activation_categories: number;
}

export interface RenderOptions {
  /** Personal links stay valid this long. */
  linkTtlMs?: number | undefined;
  /** Worker threads that render large batches (0: render in the engine's thread). */
  renderThreads?: number | undefined;
}

interface Deps {
  db: Db;
  crypto: PiiCrypto;
  logger: Logger;
  config: Config;
}

export function createBatchRenderer(deps: Deps, options: RenderOptions) {
  const linkTtlMs = options.linkTtlMs ?? 90 * 86_400_000;
  const renderThreads = options.renderThreads ?? 0;
  let pool: RenderPool | undefined;

  async function render(
    campaign: CampaignRow,
    channel: Channel,
    rows: ClaimedDelivery[],
    workerId: string,
  ): Promise<RenderedBatch> {
    const settings: CampaignSettings = settingsOf(campaign);
    const pns = rows.map((r) => r.pn);
    const contacts = await contactsFor(deps.db, deps.crypto, campaign.incident_id, pns);
    await deps.db.transaction().execute((tx) =>
      recordAudit(tx, {
        actor: systemActor,
        action: 'campaign.batch_decrypted',
        target: { type: 'campaign', id: campaign.id },
        details: { channel, people: rows.length, worker: workerId },
      }),
    );
    const eligible = campaign.activation_categories
      ? pns.filter((pn) => ((contacts.get(pn)?.categories ?? 0) & campaign.activation_categories) !== 0)
      : [];
    const codes = await assignActivationCodes(deps.db, deps.crypto, campaign.id, eligible);
    const lacking = new Set(eligible.filter((pn) => !codes.has(pn)));
    const variants = await deps.db
      .selectFrom('campaign_variants')
      .select(['id', 'version', 'content'])
      .where('campaign_id', '=', campaign.id)
      .execute();
    const incident = await incidentPublicFacts(deps.db, campaign.incident_id);
    if (!incident) throw new Error(`incident ${campaign.incident_id} of campaign ${campaign.id} is gone`);
    const expires = new Date(Date.now() + linkTtlMs);
    // Where the SMS provider reports delivery (signed; see outbound's receipts).
    const smsCallbackUrl =
      deps.config.SMS_PROVIDER === 'twilio'
        ? `${deps.config.publicUrl}/api/hooks/sms/twilio`
        : deps.config.SMS_PROVIDER === 'webhook'
          ? `${deps.config.publicUrl}/api/hooks/sms/webhook`
          : undefined;
    const sendable = rows.filter((row) => !lacking.has(row.pn));
    const held = rows.filter((row) => lacking.has(row.pn));
    const job: RenderJob = {
      channel,
      campaign: {
        id: campaign.id,
        incidentId: campaign.incident_id,
        emailFrom: campaign.email_from,
        replyTo: campaign.reply_to,
        defaultLocale: campaign.default_locale,
      },
      // The company's name from the setting unless the campaign names it on purpose.
      settings: { ...settings, companyName: await printedCompanyNameOf(deps.db, settings) },
      incident: {
        publicTitle: incident.publicTitle,
        description: incident.description,
        occurredOn: incident.occurredOn,
        awareOn: incident.awareOn,
      },
      variants: variants.map((v) => ({
        id: v.id,
        version: v.version,
        content: v.content as Record<string, VariantLocaleContent>,
      })),
      mailFrom: deps.config.CANDOR_MAIL_FROM,
      smsCallbackUrl,
      items: sendable.map((row) => ({
        pn: row.pn,
        variantId: row.variant_id,
        locale: row.locale,
        messageId: row.message_id,
        verificationCode: row.verification_code,
        contact: contacts.get(row.pn) ?? null,
        link: personalLink(
          deps.config.noticeUrl,
          incident.slug,
          personalLinkToken(deps.crypto, campaign.incident_id, row.pn, expires),
        ),
        activationCode: codes.get(row.pn) ?? null,
      })),
    };
    let results: RenderResult[];
    try {
      if (renderThreads > 0 && job.items.length >= 64) {
        pool ??= createRenderPool(renderThreads);
        results = await pool.render(job);
      } else {
        results = renderBatch(job);
      }
    } catch (error) {
      deps.logger.warn({ err: error, campaignId: campaign.id }, 'rendering a batch failed; retrying it');
      results = job.items.map(() => ({ error: 'RenderPoolError' }));
    }
    return {
      rendered: sendable.map((row, i) => ({ row, result: results[i]! })),
      ...(held.length > 0
        ? {
            held: {
              rows: held,
              reason: `Activation codes ran out: ${held.length}+ people still need one. Import more codes, then resume.`,
              summary: `Campaign "${campaign.name}" paused: activation codes ran out. Import more codes, then resume.`,
              details: { withoutCode: held.length },
            },
          }
        : {}),
    };
  }

  return {
    render,
    async close() {
      await pool?.close();
      pool = undefined;
    },
  };
}
