import type { Executor } from '../../db/database.ts';
import type { SentVia } from '../../db/schema.ts';
import { siteMessageId } from './message-ids.ts';
import { messagesOfInboxMessages } from './messages.repository.ts';
import { outboxByMessageIds } from './outbox.repository.ts';

/**
 * Where an outgoing inbox message (a reply, a verification code) went: queued, handed to the SMTP server
 * or the SMS provider, or kept in the embedded outbox (no mail server or SMS provider configured), where
 * staff with `people:read_pii` can open it by its id. Ids and states only: no address, no text.
 */
export interface Dispatch {
  state: 'pending' | 'sent' | 'skipped' | 'failed';
  via: SentVia | null;
  channel: 'email' | 'sms' | null;
  /** The outbox row holding the message, when it went to the outbox. */
  outboxMessageId: number | null;
  /** The incident whose notice site's outbox lists it (null for senders who match no incident). */
  incidentId: string | null;
  /** Why it failed or was skipped (a provider's reason; never an address). */
  reason: string | null;
}

export async function siteDispatches(
  db: Executor,
  noticeUrl: string,
  inboxMessageIds: readonly string[],
): Promise<Map<string, Dispatch>> {
  const found = new Map<string, Dispatch>();
  if (inboxMessageIds.length === 0) return found;
  const queued = await messagesOfInboxMessages(db, inboxMessageIds);
  const kept = await outboxByMessageIds(
    db,
    queued.map((q) => siteMessageId(noticeUrl, q.id)),
  );
  // The latest queued message of each inbox message (one per reply or code; a resend adds a row).
  for (const q of queued) {
    const outbox = kept.get(siteMessageId(noticeUrl, q.id));
    const via = outbox ? 'outbox' : (q.sent_via ?? null);
    found.set(String(q.inbox_message_id), {
      state: q.state,
      via,
      channel: outbox
        ? (outbox.channel as 'email' | 'sms')
        : via === 'smtp'
          ? 'email'
          : via === 'sms-provider'
            ? 'sms'
            : null,
      outboxMessageId: outbox ? outbox.id : null,
      incidentId: q.incident_id,
      reason: q.state === 'failed' || q.state === 'skipped' ? q.outcome : null,
    });
  }
  return found;
}
