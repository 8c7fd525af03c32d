// Campaigns: the notice to every affected person, its variants by exposure, locale and risk, legal's
// approval of each, the channel chain, activation codes and printed letters; outbound sends them.
import { systemActor } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { createObligationsModule } from '../obligations/index.ts';
import {
  createOutboundModule,
  type EngineOptions,
  type OutboundModule,
  type Senders,
} from '../outbound/index.ts';
import { blindLookup } from '../people/index.ts';
import { importCodes } from './activation-codes.ts';
import { approveVariant } from './campaign-approval.service.ts';
import { createCampaign, updateCampaign } from './campaign-edit.service.ts';
import { moveCampaign, startCampaign } from './campaign-lifecycle.service.ts';
import { createPreparations, PREPARE_BATCH } from './campaign-prepare.ts';
import { getCampaign, listCampaigns } from './campaign-read.service.ts';
import { campaignStatus } from './campaign-status.service.ts';
import { campaignsRoutes } from './campaigns.routes.ts';
import { lettersRoutes } from './letters.routes.ts';
import { createCampaignPort } from './outbound-port.ts';
import type { RenderOptions } from './render-claimed.ts';

export { assignedActivationCode, CODE_CONTEXT } from './activation-codes.ts';
export { personalLink, personalLinkToken, readPersonalLinkToken } from './links.ts';
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

/** The people's blind index of an address (for outbound's outbox search), from people's door. */
export function peopleRecipientIndex(crypto: PlatformContext['crypto']) {
  return (kind: 'email' | 'phone', value: string, defaultCountry?: string | undefined) =>
    blindLookup(crypto, { kind, value, defaultCountry })?.index ?? null;
}

/**
 * Campaigns: notices to every affected person, with approval, variants and channels. They are sent by the
 * outbound module's campaign lane, through the port this module registers there (`outbound-port.ts`):
 * given at composition (`options.outbound`), or created here on first use with the configured senders (or
 * those given, in tests). `engine()` is that lane.
 */
export function createCampaignsModule(
  ctx: Pick<PlatformContext, 'db' | 'crypto' | 'logger' | 'config'>,
  options: {
    outbound?: OutboundModule;
    senders?: Senders;
    engine?: EngineOptions & RenderOptions;
    /** People per transaction when a start creates the delivery rows (default `PREPARE_BATCH`). */
    prepareBatch?: number;
  } = {},
) {
  const prepareBatch = options.prepareBatch ?? PREPARE_BATCH;
  const preparations = createPreparations(ctx, { batchSize: prepareBatch });
  const launchDeps = { ...ctx, prepareBatch };
  let own: OutboundModule | undefined;
  let port: ReturnType<typeof createCampaignPort> | undefined;
  const outbound = () => {
    if (!options.outbound) own ??= ownOutbound();
    const served = options.outbound ?? own!;
    if (!port) {
      port = createCampaignPort(ctx, {
        linkTtlMs: options.engine?.linkTtlMs,
        renderThreads: options.engine?.renderThreads ?? ctx.config.CANDOR_RENDER_THREADS,
        preparations,
        prepareBatch,
        onFinished: (campaign, result) => markNoticesDone(ctx, campaign, result),
      });
      served.serveCampaigns(port);
    }
    return served;
  };
  const ownOutbound = () =>
    createOutboundModule(ctx, {
      recipients: peopleRecipientIndex(ctx.crypto),
      senders: options.senders,
      engine: options.engine,
    });
  const engine = () => outbound().campaigns();
  const outboxOf = () => outbound().outbox;
  return {
    routes: [campaignsRoutes({ ...launchDeps, outbox: outboxOf }), lettersRoutes({ ...ctx, engine })],
    /** The campaign lane of outbound that sends these campaigns. */
    engine,
    /** Registers this module's port with the shared outbound module (composition time). */
    serve: () => {
      outbound();
    },
    service: {
      create: (
        incidentId: string,
        input: Parameters<typeof createCampaign>[2],
        meta: Parameters<typeof createCampaign>[3],
      ) => createCampaign(ctx, incidentId, input, meta),
      update: (
        id: string,
        input: Parameters<typeof updateCampaign>[2],
        meta: Parameters<typeof updateCampaign>[3],
      ) => updateCampaign(ctx, id, input, meta),
      get: (id: string) => getCampaign(ctx.db, id),
      list: (incidentId: string) => listCampaigns(ctx.db, incidentId),
      approve: (id: string, variantId: string, version: number, meta: Parameters<typeof approveVariant>[4]) =>
        approveVariant(ctx, id, variantId, version, meta),
      start: (id: string, at: Date | null, meta: Parameters<typeof startCampaign>[3]) =>
        startCampaign(launchDeps, id, at, meta),
      move: (id: string, action: 'pause' | 'resume' | 'cancel', meta: Parameters<typeof moveCampaign>[3]) =>
        moveCampaign(ctx, id, action, meta),
      status: (id: string) => campaignStatus(ctx.db, id),
      /** Creates the rest of a started campaign's rows in this process, to the end (CLI, benchmarks). */
      prepare: (id: string) => preparations.finish(id),
      importCodes: (id: string, csv: string, meta: Parameters<typeof importCodes>[3]) =>
        importCodes(ctx, id, csv, meta),
    },
    /**
     * Waits for the preparations this process runs (a started campaign's rows, created in batches in the
     * background, kicked by the campaign lane's passes).
     */
    drainPreparations: () => preparations.drain(),
    async close() {
      await preparations.close();
      await own?.close();
      await port?.close();
    },
  };
}

/** Everyone in scope reached: the individual-notice obligations are done, with the campaign as evidence. */
async function markNoticesDone(
  ctx: Pick<PlatformContext, 'db' | 'crypto' | 'logger' | 'config'>,
  campaign: { id: string; incidentId: string; name: string },
  result: { reached: number; missed: number },
) {
  if (result.missed > 0) return;
  const obligations = createObligationsModule(ctx);
  const report = await obligations.service.report(campaign.incidentId);
  for (const o of report.obligations) {
    if (o.kind !== 'individuals' || o.status !== 'open') continue;
    await obligations.service.decide(
      campaign.incidentId,
      o.key,
      {
        status: 'done',
        reasons: '',
        evidence: `Campaign "${campaign.name}" (${campaign.id}) notified all ${result.reached} people in scope.`,
      },
      { actor: systemActor },
    );
  }
}
