import type { z } from 'zod';
import {
  type SiteOutboxPage,
  siteOutboxQuery,
  siteOutboxSearchBody,
} from '../../../shared/contracts/notice-site.ts';
import type { MessageKind } from '../../db/schema.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import type { RecipientIndex } from './outbound.types.ts';
import { siteOutboxPage } from './outbox.repository.ts';
import { nextPageBefore, OUTBOX_PAGE, openOutboxMessage, recipientLookup } from './outbox-read.ts';

/**
 * The notice site's mailbox in the console: what the notice site and the inbox sent through the embedded
 * outbox (no SMTP server or SMS provider configured): lookup answers, confirmations, update notices, inbox
 * replies and verification codes.
 * Decrypted per page and audited in the transaction that reads it. Staff find a message by recipient
 * (blind index, exact; POST only), by kind and channel, or by its id (the inbox links to it). The query and
 * the page are the notice staff API's contract (src/shared/contracts/notice-site.ts).
 */
export { siteOutboxQuery, siteOutboxSearchBody };

export async function listSiteOutbox(
  deps: Pick<PlatformContext, 'db' | 'crypto'> & { recipients: RecipientIndex },
  incidentId: string,
  query: z.output<typeof siteOutboxQuery> & { to?: string | undefined; defaultCountry?: string | undefined },
  meta: { actor: Actor; requestId?: string | undefined },
): Promise<SiteOutboxPage> {
  const toIdx = query.to ? recipientLookup(deps.recipients, query.to, query.defaultCountry) : undefined;
  return deps.db.transaction().execute(async (tx) => {
    const { rows, total } = await siteOutboxPage(
      tx,
      incidentId,
      { kind: query.kind, channel: query.channel, toIdx, message: query.message },
      { before: query.before, size: OUTBOX_PAGE },
    );
    const messages = await Promise.all(
      rows.map(async (r) => {
        const m = await openOutboxMessage(deps.crypto, r.sealed);
        return {
          id: Number(r.id),
          kind: r.kind as MessageKind,
          channel: r.channel as 'email' | 'sms',
          createdAt: new Date(r.created_at).toISOString(),
          to: m.to,
          subject: m.subject || null,
          text: m.text,
          html: m.html,
        };
      }),
    );
    if (messages.length > 0) {
      await recordAudit(tx, {
        actor: meta.actor,
        action: 'notice.outbox_viewed',
        requestId: meta.requestId,
        target: { type: 'incident', id: incidentId },
        details: {
          messages: messages.length,
          ...(query.kind ? { kind: query.kind } : {}),
          ...(query.channel ? { channel: query.channel } : {}),
          byRecipient: toIdx !== undefined,
          ...(query.message ? { message: query.message } : {}),
        },
      });
    }
    return {
      messages,
      total,
      nextBefore: nextPageBefore(rows, query.message !== undefined),
    };
  });
}
