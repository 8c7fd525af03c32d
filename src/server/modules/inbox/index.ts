import type { ThreadListQuery } from '../../../shared/contracts/inbox.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { inboundRoutes, supportMailbox } from './inbound.ts';
import type { Meta } from './inbox.deps.ts';
import { inboxRoutes } from './inbox.routes.ts';
import { type InboundMessage, ingest } from './ingest.ts';
import { listMacros, type MacroInput, saveMacro } from './macros.service.ts';

export type { MacroInput } from './macros.service.ts';

import { satisfactionRoutes } from './satisfaction.ts';
import { listThreads } from './threads-list.service.ts';

export type { InboundMessage, IngestResult } from './ingest.ts';

/**
 * The support inbox: questions from the notice site's contact form, email (the inbound SMTP listener's
 * support addresses, a provider webhook) and SMS replies (provider webhooks), threaded per sender and
 * channel, linked to the affected person, verified before anything is disclosed, answered one by one or in
 * bulk as prepared messages on the outbound queue. `kick` wakes outbound's message lane after a reply.
 */
export function createInboxModule(
  ctx: Pick<PlatformContext, 'db' | 'crypto' | 'logger' | 'config'>,
  options: { kick: () => void },
) {
  const deps = { ...ctx, kick: options.kick };
  return {
    routes: [inboxRoutes(deps), inboundRoutes(ctx), satisfactionRoutes(ctx)],
    /** Files a message (the notice site's contact form calls this). */
    ingest: (message: InboundMessage) => ingest(ctx, message),
    /** The support mailbox for the inbound SMTP listener. */
    mailbox: () => supportMailbox(ctx),
    service: {
      list: (query: ThreadListQuery, meta: Meta) => listThreads(deps, query, meta),
      macros: () => listMacros(ctx.db),
      /** Creates a saved answer (checked against the variables a macro may use). */
      createMacro: (input: MacroInput, meta: Meta) => saveMacro(ctx.db, null, input, meta),
    },
  };
}
