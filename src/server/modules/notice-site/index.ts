import type { PlatformContext } from '../../platform/context.ts';
import type { OutboundModule } from '../outbound/index.ts';
import { approveVersion, publishVersion } from './approval.service.ts';
import { brandingRoutes } from './branding.routes.ts';
import type { NoticeContent } from './content.ts';
import { createCounters } from './counters.ts';
import { handleSiteMessages } from './messages.ts';
import type { Meta } from './notice.deps.ts';
import { noticeRoutes } from './notice.routes.ts';
import { overview } from './overview.service.ts';
import { publicSiteRoutes } from './public.routes.ts';
import { createSiteCache } from './site.ts';
import { saveDraft } from './versions.service.ts';
import { wordingRoutes } from './wording.routes.ts';

export type { NoticeContent, UpdateContent } from './content.ts';
export { noticeContentSchema, slugSchema } from './content.ts';
export { enqueueSiteMessage } from './messages.ts';
export { esc, layout, messageBox, type SiteFrame } from './render.ts';
export { readBranding } from './site.ts';

/**
 * The public notice site: the notice, updates and feed, "am I affected?", code verification, the personal
 * page, subscriptions, feedback and the contact form (public pages under /n/); its staff API (console).
 * What the site sends (lookup answers, confirmations, update notices) goes out through the outbound module,
 * which calls the handlers this module registers there (`messages.ts`).
 */
export function createNoticeSiteModule(
  ctx: Pick<PlatformContext, 'db' | 'crypto' | 'logger' | 'config'>,
  options: {
    outbound: Pick<OutboundModule, 'handle' | 'messages' | 'outbox'>;
    /** Where contact-form messages go (the support inbox); only `serve` takes them. */
    onContact?: Parameters<typeof publicSiteRoutes>[0]['onContact'];
  },
) {
  const sites = createSiteCache(ctx.db);
  const counters = createCounters(ctx.db, ctx.logger);
  const { outbound } = options;
  handleSiteMessages(outbound, { ...ctx, counters });
  const messenger = { kick: () => outbound.messages.kick() };
  return {
    routes: [
      noticeRoutes({ ...ctx, sites, counters, outbox: () => outbound.outbox }),
      brandingRoutes({ ...ctx, sites }),
      wordingRoutes(ctx),
      publicSiteRoutes({
        ...ctx,
        sites,
        messenger,
        counters,
        onContact:
          options.onContact ??
          (() => Promise.reject(new Error('this process does not take contact-form messages'))),
      }),
    ],
    /** Lets queued work finish: the counts not yet written. */
    async close() {
      await counters.flush();
    },
    service: {
      overview: (incidentId: string) => overview(ctx, incidentId),
      saveDraft: (incidentId: string, content: NoticeContent, meta: Meta) =>
        saveDraft(ctx, incidentId, content, meta),
      approve: (incidentId: string, versionId: string, meta: Meta) =>
        approveVersion(ctx, incidentId, versionId, meta),
      publish: async (incidentId: string, versionId: string, meta: Meta) => {
        const result = await publishVersion(ctx, incidentId, versionId, meta);
        sites.invalidate();
        return result;
      },
    },
  };
}
