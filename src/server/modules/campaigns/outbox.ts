import { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import type { DeliveryState } from '../../db/schema.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { blindLookup } from '../population/index.ts';
import { OUTBOX_CONTEXT } from './senders.ts';

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

const PAGE = 50;

/** The blind index of a recipient typed by staff: an email when it has an @, else a phone number. */
export function recipientLookup(
  crypto: PlatformContext['crypto'],
  to: string,
  defaultCountry?: string | undefined,
): Buffer {
  const found = blindLookup(crypto, {
    kind: to.includes('@') ? 'email' : 'phone',
    value: to,
    defaultCountry,
  });
  if (!found) {
    throw new AppError(
      'validation_failed',
      'That is not an email address or phone number we can search for. Check it (phone numbers need their country code, or a country).',
    );
  }
  return found.index;
}

function filtered(
  db: Executor,
  campaignId: string,
  query: z.output<typeof outboxQuery> & { toIdx?: Buffer | undefined },
) {
  let q = db
    .selectFrom('outbox_messages as o')
    .leftJoin('deliveries as d', (join) =>
      join
        .onRef('d.incident_id', '=', 'o.incident_id')
        .onRef('d.campaign_id', '=', 'o.campaign_id')
        .onRef('d.pn', '=', 'o.pn')
        .onRef('d.channel', '=', 'o.channel'),
    )
    .where('o.campaign_id', '=', campaignId);
  if (query.message) return q.where('o.id', '=', String(query.message));
  if (query.channel) q = q.where('o.channel', '=', query.channel);
  if (query.state) q = q.where('d.state', '=', query.state);
  if (query.toIdx) q = q.where('o.to_idx', '=', query.toIdx);
  return q;
}

export async function listOutbox(
  deps: Pick<PlatformContext, 'db' | 'crypto'>,
  campaignId: string,
  query: z.output<typeof outboxQuery> & { to?: string | undefined; defaultCountry?: string | undefined },
  meta: { actor: Actor; requestId?: string | undefined },
) {
  const toIdx = query.to ? recipientLookup(deps.crypto, query.to, query.defaultCountry) : undefined;
  const filters = { ...query, toIdx };
  return deps.db.transaction().execute(async (tx) => {
    let q = filtered(tx, campaignId, filters).select([
      'o.id',
      'o.channel',
      'o.pn',
      'o.message_id',
      'o.created_at',
      'o.sealed',
      'd.state',
    ]);
    if (query.before && !query.message) q = q.where('o.id', '<', String(query.before));
    const rows = await q.orderBy('o.id', 'desc').limit(PAGE).execute();
    const total = await filtered(tx, campaignId, filters)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const messages = await Promise.all(
      rows.map(async (r) => {
        const m = JSON.parse(await deps.crypto.decrypt(r.sealed, OUTBOX_CONTEXT)) as Record<string, unknown>;
        return {
          id: Number(r.id),
          channel: r.channel,
          // Campaign messages always name their person (only the notice site's own have none).
          pn: r.pn ?? 0,
          messageId: r.message_id,
          createdAt: new Date(r.created_at).toISOString(),
          to: String(m.to ?? ''),
          subject: (m.subject as string | undefined) ?? null,
          text: String(m.text ?? ''),
          html: (m.html as string | undefined) ?? null,
          address: (m.address as string[] | undefined) ?? null,
          verificationCode: String(m.verificationCode ?? ''),
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
      total: Number(total.n),
      nextBefore: rows.length === PAGE && !query.message ? Number(rows[rows.length - 1]!.id) : null,
    };
  });
}

/** Outbox rows by Message-ID (the notice site's messages are found by theirs): id and channel, no content. */
export async function outboxByMessageIds(
  db: Executor,
  messageIds: readonly string[],
): Promise<Map<string, { id: number; channel: string }>> {
  if (messageIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('outbox_messages')
    .select(['id', 'message_id', 'channel'])
    .where('message_id', 'in', messageIds as string[])
    .execute();
  return new Map(rows.map((r) => [r.message_id, { id: Number(r.id), channel: r.channel }]));
}
