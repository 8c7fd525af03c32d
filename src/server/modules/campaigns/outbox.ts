import { z } from 'zod';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { OUTBOX_CONTEXT } from './senders.ts';

/**
 * The embedded outbox as a mailbox: what each person received when no SMTP server or SMS provider is
 * configured, and every letter. Decrypting it is a read of personal data: audited per page.
 */
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
    }),
  ),
  total: z.number(),
  nextBefore: z.number().nullable(),
});

export async function listOutbox(
  deps: Pick<PlatformContext, 'db' | 'crypto'>,
  campaignId: string,
  query: { channel?: 'email' | 'sms' | 'letter' | undefined; before?: number | undefined },
  meta: { actor: Actor; requestId?: string | undefined },
) {
  let q = deps.db
    .selectFrom('outbox_messages')
    .select(['id', 'channel', 'pn', 'message_id', 'created_at', 'sealed'])
    .where('campaign_id', '=', campaignId);
  if (query.channel) q = q.where('channel', '=', query.channel);
  if (query.before) q = q.where('id', '<', String(query.before));
  const rows = await q.orderBy('id', 'desc').limit(50).execute();
  let countQuery = deps.db
    .selectFrom('outbox_messages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('campaign_id', '=', campaignId);
  if (query.channel) countQuery = countQuery.where('channel', '=', query.channel);
  const total = await countQuery.executeTakeFirstOrThrow();
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
      };
    }),
  );
  if (messages.length > 0) {
    await deps.db.transaction().execute((tx) =>
      recordAudit(tx, {
        actor: meta.actor,
        action: 'campaign.outbox_viewed',
        requestId: meta.requestId,
        target: { type: 'campaign', id: campaignId },
        details: { messages: messages.length, channel: query.channel ?? 'all' },
      }),
    );
  }
  return {
    messages,
    total: Number(total.n),
    nextBefore: rows.length === 50 ? Number(rows[rows.length - 1]!.id) : null,
  };
}
