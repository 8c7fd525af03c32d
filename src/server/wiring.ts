import { createAuditModule } from './modules/audit/index.ts';
import { createAuthModule } from './modules/auth/index.ts';
import { createCampaignsModule } from './modules/campaigns/index.ts';
import { createInboxModule } from './modules/inbox/index.ts';
import { createIncidentsModule } from './modules/incidents/index.ts';
import { createKeysModule } from './modules/keys/index.ts';
import { createNoticeModule } from './modules/notice/index.ts';
import { createObligationsModule } from './modules/obligations/index.ts';
import { createPopulationModule } from './modules/population/index.ts';
import { createUsersModule } from './modules/users/index.ts';
import type { PlatformContext } from './platform/context.ts';

/**
 * Every module of a Candor process, created once: `buildApp` registers their routes, and `serve` and
 * `worker` hand the same instances to the background work (so the imports a request started and the
 * site's message loop a request kicks are the ones running here).
 */
export function createServerModules(ctx: PlatformContext) {
  const campaigns = createCampaignsModule(ctx);
  // The inbox answers through the notice site's message queue; the notice site files contact messages in
  // the inbox: wired both ways here, each module knowing only a function of the other.
  let notice: ReturnType<typeof createNoticeModule> | undefined;
  const inbox = createInboxModule(ctx, { kick: () => notice?.messenger.kick() });
  notice = createNoticeModule(ctx, { senders: campaigns.senders, onContact: inbox.ingest });
  return {
    auth: createAuthModule(ctx),
    users: createUsersModule(ctx),
    audit: createAuditModule(ctx),
    keys: createKeysModule(ctx),
    incidents: createIncidentsModule(ctx),
    population: createPopulationModule(ctx),
    obligations: createObligationsModule(ctx),
    campaigns,
    notice,
    inbox,
  };
}

export type ServerModules = ReturnType<typeof createServerModules>;
