import { z } from 'zod';
import type { DeliveryState } from '../../db/schema.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import type { RecipientIndex } from './outbound.types.ts';
import { campaignOutboxPage } from './outbox.repository.ts';
import { nextPageBefore, OUTBOX_PAGE, openOutboxMessage, recipientLookup } from './outbox-read.ts';

/**
 * The embedded outbox as a mailbox: what each person received when no SMTP server or SMS provider is
 * configured, and every letter. Decrypting it is a read of personal data: each page is audited in the
 * transaction that reads it. Staff find a message by its recipient through the recipient's blind index
 * (exact match on the normalized address or number; the value itself travels in a POST body only), and
 * filter by channel and delivery state.
 */
const deliveryStates = [
  'sent',
  'delivered',
  'bounced',
  'failed',
  'fell_back',
] as const satisfies readonly DeliveryState[];

const before = z.coerce.number().int().positive().optional();
export const outboxQuery = z.object({
  channel: z.enum(['email', 'sms', 'letter']).optional(),
  state: z.enum(deliveryStates).optional(),
  before,
  /** One message by its id (a deep link): the other filters and the cursor are ignored. */
  message: z.coerce.number().int().positive().optional(),
});
export const outboxSearchBody = outboxQuery.omit({ message: true }).extend({
  /** Exact email address or phone number of the recipient, normalized as imports normalize them. */
  to: z.string().trim().min(3).max(320),
  defaultCountry: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/)
    .transform((v) => v.toUpperCase())
    .optional(),
});

export const outboxPage = z.object({
  messages: z.array(
    z.object({
      id: z.number(),
      channel: z.string(),
      pn: z.number(),
      messageId: z.string(),
      createdAt: z.string(),
      to: z.string(),
      subject: z.string().nullable(),
      text: z.string(),
      html: z.string().nullable(),
      address: z.array(z.string()).nullable(),
      verificationCode: z.string(),
      /** The delivery's state now (a letter returned as undeliverable is `bounced`). */
      state: z.string().nullable(),
    }),
  ),
  total: z.number(),
  nextBefore: z.number().nullable(),
});

export async function listOutbox(
  deps: Pick<PlatformContext, 'db' | 'crypto'> & { recipients: RecipientIndex },
  campaignId: string,
  query: z.output<typeof outboxQuery> & { to?: string | undefined; defaultCountry?: string | undefined },
  meta: { actor: Actor; requestId?: string | undefined },
) {
  const toIdx = query.to ? recipientLookup(deps.recipients, query.to, query.defaultCountry) : undefined;
  return deps.db.transaction().execute(async (tx) => {
    const { rows, total } = await campaignOutboxPage(
      tx,
      campaignId,
      { channel: query.channel, state: query.state, toIdx, message: query.message },
      { before: query.before, size: OUTBOX_PAGE },
    );
    const messages = await Promise.all(
      rows.map(async (r) => {
        const m = await openOutboxMessage(deps.crypto, r.sealed);
        return {
          id: Number(r.id),
          channel: r.channel,
          // Campaign messages always name their person (only the notice site's own have none).
          pn: r.pn ?? 0,
          messageId: r.message_id,
          createdAt: new Date(r.created_at).toISOString(),
          ...m,
          subject: m.subject ?? null,
          state: r.state ?? null,
        };
      }),
    );
    if (messages.length > 0) {
      await recordAudit(tx, {
        actor: meta.actor,
        action: 'campaign.outbox_viewed',
        requestId: meta.requestId,
        target: { type: 'campaign', id: campaignId },
        details: {
          messages: messages.length,
          channel: query.channel ?? 'all',
          ...(query.state ? { state: query.state } : {}),
          // Whether staff searched by recipient, never whom.
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
