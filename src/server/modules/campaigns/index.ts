import { systemActor } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { createObligationsModule } from '../obligations/index.ts';
import { importCodes } from './activation-codes.ts';
import { campaignsRoutes } from './campaigns.routes.ts';
import * as service from './campaigns.service.ts';
import { createDeliveryEngine, type EngineOptions } from './delivery.ts';
import { lettersRoutes } from './letters.routes.ts';
import { receiptsRoutes } from './receipts.ts';
import { createSenders, type Senders } from './senders.ts';

export { assignedActivationCode, CODE_CONTEXT } from './activation-codes.ts';
export { handleBounce, type InboundMailbox, parseDsn, startInboundSmtp } from './bounces.ts';
export { isIssuedVerificationCode } from './deliveries.repository.ts';
export { personalLink, personalLinkToken, readPersonalLinkToken } from './links.ts';
export { outboxByMessageIds, recipientLookup } from './outbox.ts';
export { OUTBOX_CONTEXT, type RenderedMessage, type Senders } from './senders.ts';
export {
  categoryPhrase,
  checkTextTemplate,
  compileTextTemplate,
  guidanceFor,
  inGuidanceOrder,
  maskEmail,
  maskPhone,
  stripHtml,
  TemplateError,
  type TemplateProblem,
} from './templates/index.ts';

/**
 * Campaigns: notices to every affected person, with approval, variants, channels and the delivery engine.
 * `engine()` is created on first use with the configured senders (or those given, in tests).
 */
export function createCampaignsModule(
  ctx: Pick<PlatformContext, 'db' | 'crypto' | 'logger' | 'config'>,
  options: { senders?: Senders; engine?: EngineOptions } = {},
) {
  let engine: ReturnType<typeof createDeliveryEngine> | undefined;
  let senders: Senders | undefined;
  const getSenders = () => {
    senders ??= options.senders ?? createSenders(ctx.config, ctx.db, ctx.crypto);
    return senders;
  };
  const getEngine = () => {
    if (!engine) {
      engine = createDeliveryEngine(
        { ...ctx, senders: getSenders() },
        {
          batchSize: ctx.config.CANDOR_DELIVERY_BATCH,
          concurrency: ctx.config.CANDOR_DELIVERY_CONCURRENCY,
          leaseMs: ctx.config.CANDOR_DELIVERY_LEASE,
          renderThreads: ctx.config.CANDOR_RENDER_THREADS,
          ...options.engine,
        },
      );
      engine.setOnFinished(async (campaign, result) => {
        // Everyone in scope reached: the individual-notice obligations are done, with the campaign as evidence.
        if (result.missed > 0) return;
        const obligations = createObligationsModule(ctx);
        const report = await obligations.service.report(campaign.incident_id);
        for (const o of report.obligations) {
          if (o.kind !== 'individuals' || o.status !== 'open') continue;
          await obligations.service.decide(
            campaign.incident_id,
            o.key,
            {
              status: 'done',
              reasons: '',
              evidence: `Campaign "${campaign.name}" (${campaign.id}) notified all ${result.reached} people in scope.`,
            },
            { actor: systemActor },
          );
        }
      });
    }
    return engine;
  };
  return {
    routes: [
      campaignsRoutes(ctx),
      receiptsRoutes({ ...ctx, engine: getEngine }),
      lettersRoutes({ ...ctx, engine: getEngine }),
    ],
    engine: getEngine,
    /** The channels' senders (SMTP pool, SMS provider, outbox), shared with the notice site's messages. */
    senders: getSenders,
    service: {
      create: (
        incidentId: string,
        input: Parameters<typeof service.createCampaign>[2],
        meta: Parameters<typeof service.createCampaign>[3],
      ) => service.createCampaign(ctx, incidentId, input, meta),
      update: (
        id: string,
        input: Parameters<typeof service.updateCampaign>[2],
        meta: Parameters<typeof service.updateCampaign>[3],
      ) => service.updateCampaign(ctx, id, input, meta),
      get: (id: string) => service.getCampaign(ctx.db, id),
      list: (incidentId: string) => service.listCampaigns(ctx.db, incidentId),
      approve: (
        id: string,
        variantId: string,
        version: number,
        meta: Parameters<typeof service.approveVariant>[4],
      ) => service.approveVariant(ctx, id, variantId, version, meta),
      start: (id: string, at: Date | null, meta: Parameters<typeof service.startCampaign>[3]) =>
        service.startCampaign(ctx, id, at, meta),
      move: (
        id: string,
        action: 'pause' | 'resume' | 'cancel',
        meta: Parameters<typeof service.moveCampaign>[3],
      ) => service.moveCampaign(ctx, id, action, meta),
      status: (id: string) => service.campaignStatus(ctx.db, id),
      importCodes: (id: string, csv: string, meta: Parameters<typeof importCodes>[3]) =>
        importCodes(ctx, id, csv, meta),
    },
    async close() {
      senders?.close();
      await engine?.close();
    },
  };
}
