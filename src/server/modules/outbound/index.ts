import type { PlatformContext } from '../../platform/context.ts';
import type { StaffMailer } from '../../platform/mail/staff-mailer.ts';
import { createFailureWindows } from './auto-pause.ts';
import { type InboundMailbox, startInboundSmtp } from './bounces.ts';
import { type CampaignLane, createCampaignLane, type EngineOptions } from './campaign-lane.ts';
import { listOutbox } from './campaign-outbox.ts';
import type { CampaignPort } from './campaign-port.ts';
import { type ComposePool, createComposePool } from './compose-pool.ts';
import { sendRates } from './kinds.ts';
import type { MessageHandler } from './message-handlers.ts';
import { createMessageLane } from './message-lane.ts';
import type { MessageKind, RecipientIndex, Senders } from './outbound.types.ts';
import { receiptsRoutes } from './receipts.routes.ts';
import { createSenders } from './senders.ts';
import { listSiteOutbox } from './site-outbox.ts';
import { createStaffMailer } from './staff-mailer.ts';
import { createThrottles } from './throttle.ts';

export { handleBounce, type InboundMailbox, parseDsn, startInboundSmtp } from './bounces.ts';
export type { CampaignLane, EngineOptions } from './campaign-lane.ts';
export { outboxPage, outboxQuery, outboxSearchBody } from './campaign-outbox.ts';
export type {
  CampaignPort,
  CampaignRef,
  ClaimedDelivery,
  RenderedBatch,
  RenderResult,
  SendingCampaign,
} from './campaign-port.ts';
export {
  deliveryProgress,
  insertCampaignDeliveries,
  makeHeldDeliveriesDue,
} from './deliveries.repository.ts';
export {
  isIssuedVerificationCode,
  letterDeliveries,
  lettersEndedFor,
  lockLettersNamed,
} from './delivery-reports.repository.ts';
export { type Dispatch, siteDispatches } from './dispatch.ts';
export { kindPolicies } from './kinds.ts';
export {
  type ClaimedMessage,
  type MessageDecision,
  type MessageHandler,
  type OutgoingMessage,
  type PreparedPayload,
  plainEmail,
} from './message-handlers.ts';
export { messageIdHost, siteMessageId } from './message-ids.ts';
export {
  enqueueMessage,
  enqueueMessagesFrom,
  enqueuePrepared,
  messageStates,
} from './messages.repository.ts';
export type {
  Channel,
  RecipientIndex,
  RenderedMessage,
  Sender,
  Senders,
  SendOutcome,
} from './outbound.types.ts';
export {
  letterPrintSummary,
  lettersOfBatch,
  type OutboxLetter,
  printedLetterIds,
  takeUnprintedLetters,
} from './outbox.repository.ts';
export { OUTBOX_CONTEXT } from './senders.ts';
export { siteOutboxQuery, siteOutboxSearchBody } from './site-outbox.ts';
export { createStaffMailer } from './staff-mailer.ts';

export interface OutboundOptions {
  /** The people's blind index of an address (people's door), for outbox search. */
  recipients: RecipientIndex;
  /** Senders to use instead of the configured ones (tests). */
  senders?: Senders | undefined;
  engine?: EngineOptions | undefined;
  /** Throttles by name, messages per second across processes (`kinds.ts` `sendRates`): kinds, email, sms. */
  rates?: Readonly<Record<string, number>> | undefined;
}

/**
 * Outbound: every outgoing message, one engine with two lanes over one set of senders and throttles.
 * Campaign notices are rows of `deliveries` (per person and channel, millions at a time), served in batches
 * by the campaign lane through the port the campaigns module registers (`serveCampaigns`); every other
 * message is a row of `outbound_messages`, served most urgent first by the message lane, through the
 * handler the owning feature registers per kind (`handle`) or as prepared text. Both lanes claim with SKIP
 * LOCKED under leases, settle with guarded updates, retry with back-off and pause themselves when most
 * attempts fail (audited). Receipts and bounce reports come back here. This module imports no feature.
 */
export function createOutboundModule(
  ctx: Pick<PlatformContext, 'db' | 'crypto' | 'logger' | 'config'>,
  options: OutboundOptions,
) {
  const { config } = ctx;
  let senders: Senders | undefined;
  const getSenders = () => {
    senders ??= options.senders ?? createSenders(config, ctx.db, ctx.crypto, options.recipients);
    return senders;
  };
  const rates = sendRates(options.rates ?? config.CANDOR_SEND_RATES);
  const throttles = createThrottles(ctx);
  const failures = createFailureWindows();
  const handlers = new Map<MessageKind, MessageHandler>();
  let port: CampaignPort | undefined;
  let lane: CampaignLane | undefined;
  // As many compose threads as render threads (CANDOR_RENDER_THREADS; 0: none).
  const composeThreads = options.engine?.composeThreads ?? config.CANDOR_RENDER_THREADS;
  let composer: ComposePool | undefined;
  const getComposer = () => {
    if (composeThreads > 0) composer ??= createComposePool(composeThreads);
    return composer;
  };
  const engine = {
    workerId: options.engine?.workerId,
    batchSize: config.CANDOR_DELIVERY_BATCH,
    concurrency: config.CANDOR_DELIVERY_CONCURRENCY,
    leaseMs: config.CANDOR_DELIVERY_LEASE,
    ...options.engine,
  };
  const campaigns = () => {
    lane ??= createCampaignLane(
      {
        ...ctx,
        senders: getSenders,
        throttles,
        providerRates: rates.channels,
        failures,
        port: () => {
          if (!port) throw new Error('no campaigns module serves this outbound module (serveCampaigns)');
          return port;
        },
        composer: getComposer,
      },
      engine,
    );
    return lane;
  };
  const messages = createMessageLane(
    { ...ctx, senders: getSenders, throttles, rates, failures, handlers },
    // A crashed worker's messages wait at most a minute (or the shorter delivery lease) before another takes them.
    {
      workerId: engine.workerId,
      limit: Math.min(50, engine.batchSize),
      leaseMs: Math.min(60_000, engine.leaseMs),
    },
  );
  const outboxDeps = { ...ctx, recipients: options.recipients };
  return {
    routes: [receiptsRoutes({ ...ctx, engine: campaigns })],
    /** The channels' senders (SMTP pool, SMS provider, outbox). */
    senders: getSenders,
    /** Registers the feature that decides and writes messages of a kind (at composition time). */
    handle(kind: MessageKind, handler: MessageHandler) {
      handlers.set(kind, handler);
    },
    /** Registers the campaigns module's port: the campaign lane serves its campaigns. */
    serveCampaigns(campaignPort: CampaignPort) {
      port = campaignPort;
    },
    /** The campaign lane (claims, sends and settles `deliveries`; fail-over for reports). */
    campaigns,
    /** The message lane (every other kind): `kick` after enqueueing, `drain` in tests. */
    messages,
    /** Both lanes until the signal aborts; the campaign lane only where campaign delivery runs. */
    async run(signal: AbortSignal, lanes: { campaigns: boolean }): Promise<void> {
      await Promise.all([lanes.campaigns ? campaigns().run(signal) : undefined, messages.run(signal)]);
    },
    outbox: {
      campaign: (...args: Parameters<typeof listOutbox> extends [unknown, ...infer R] ? R : never) =>
        listOutbox(outboxDeps, ...args),
      site: (...args: Parameters<typeof listSiteOutbox> extends [unknown, ...infer R] ? R : never) =>
        listSiteOutbox(outboxDeps, ...args),
    },
    /** The inbound SMTP listener: bounce reports, and the mailboxes other modules add (support mail). */
    startInboundSmtp: (mailboxes: InboundMailbox[]) =>
      startInboundSmtp({ ...ctx, engine: campaigns }, mailboxes),
    /** Mail to staff, sharing the email provider's throttle. */
    staffMailer: (): StaffMailer =>
      createStaffMailer(config, ctx.db, { throttles, providerRate: rates.channels.email }),
    /** Lets the messages in flight settle, then closes the senders. */
    async close() {
      await messages.idle();
      senders?.close();
      senders = undefined;
      await composer?.close();
      composer = undefined;
    },
  };
}

export type OutboundModule = ReturnType<typeof createOutboundModule>;
