import { createAuditModule } from './modules/audit/index.ts';
import { createAuthModule } from './modules/auth/index.ts';
import { createCampaignsModule, peopleRecipientIndex } from './modules/campaigns/index.ts';
import { createInboxModule } from './modules/inbox/index.ts';
import { createIncidentsModule } from './modules/incidents/index.ts';
import { createKeysModule } from './modules/keys/index.ts';
import { createNoticeSiteModule } from './modules/notice-site/index.ts';
import { createObligationsModule } from './modules/obligations/index.ts';
import { createOutboundModule, type OutboundOptions } from './modules/outbound/index.ts';
import { createPeopleModule, incidentPeopleFacts } from './modules/people/index.ts';
import type { PlatformContext } from './platform/context.ts';

/** The outbound module, with the people's blind index for its outbox search (tests make their own). */
export function createOutbound(
  ctx: Pick<PlatformContext, 'db' | 'crypto' | 'logger' | 'config'>,
  options: Omit<OutboundOptions, 'recipients'> = {},
) {
  return createOutboundModule(ctx, { ...options, recipients: peopleRecipientIndex(ctx.crypto) });
}

/**
 * Every module of a Candor process, created once: `buildApp` registers their routes, and `serve` and
 * `worker` hand the same instances to the background work (so the imports a request started and the
 * messages a request kicks are sent from here). Every message goes out through `outbound`: the campaigns
 * module and the notice site register their ports and handlers with it here; the inbox enqueues prepared
 * messages and kicks it. Outbound imports none of them.
 */
export function createServerModules(ctx: PlatformContext) {
  const outbound = createOutbound(ctx);
  const campaigns = createCampaignsModule(ctx, { outbound });
  campaigns.serve();
  // The notice site files contact messages in the inbox: wired here, the notice-site module knowing only a function.
  const inbox = createInboxModule(ctx, { kick: () => outbound.messages.kick() });
  const noticeSite = createNoticeSiteModule(ctx, { outbound, onContact: inbox.ingest });
  return {
    auth: createAuthModule(ctx),
    audit: createAuditModule(ctx),
    keys: createKeysModule(ctx),
    incidents: createIncidentsModule(ctx, incidentPeopleFacts),
    people: createPeopleModule(ctx),
    obligations: createObligationsModule(ctx),
    outbound,
    campaigns,
    noticeSite,
    inbox,
  };
}

export type ServerModules = ReturnType<typeof createServerModules>;
