import { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import type { SiteMessageKind } from '../../db/schema.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { OUTBOX_CONTEXT, recipientLookup } from '../campaigns/index.ts';

/**
 * What the notice site and the inbox sent through the embedded outbox (no SMTP server or SMS provider
 * configured): lookup answers, confirmations, update notices, inbox replies and verification codes.
 * Decrypted per page and audited in the transaction that reads it. Staff find a message by recipient
 * (blind index, exact; POST only), by kind and channel, or by its id (the inbox links to it).
 */
export const siteMessageKinds = [
  'lookup',
  'subscribe_confirm',
  'update',
  'contact_ack',
  'inbox_reply',
  'inbox_verification',
  'inbox_csat',
] as const satisfies readonly SiteMessageKind[];

export const siteOutboxQuery = z.object({
  before: z.coerce.number().int().positive().optional(),
  kind: z.enum(siteMessageKinds).optional(),
  channel: z.enum(['email', 'sms']).optional(),
  /** One message by its id (a deep link from an inbox thread): the other filters are ignored. */
  message: z.coerce.number().int().positive().optional(),
});
export const siteOutboxSearchBody = siteOutboxQuery.omit({ message: true }).extend({
  to: z.string().trim().min(3).max(320),
  defaultCountry: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/)
    .transform((v) => v.toUpperCase())
    .optional(),
});

const PAGE = 50;

function filtered(
  db: Executor,
  incidentId: string,
  query: z.output<typeof siteOutboxQuery> & { toIdx?: Buffer | undefined },
) {
  let q = db
    .selectFrom('outbox_messages')
    .where('incident_id', '=', incidentId)
    .where('campaign_id', 'is', null);
  if (query.message) return q.where('id', '=', String(query.message));
  if (query.kind) q = q.where('kind', '=', query.kind);
  if (query.channel) q = q.where('channel', '=', query.channel);
  if (query.toIdx) q = q.where('to_idx', '=', query.toIdx);
  return q;
}

export async function listSiteOutbox(
  deps: Pick<PlatformContext, 'db' | 'crypto'>,
  incidentId: string,
  query: z.output<typeof siteOutboxQuery> & { to?: string | undefined; defaultCountry?: string | undefined },
  meta: { actor: Actor; requestId?: string | undefined },
) {
  const toIdx = query.to ? recipientLookup(deps.crypto, query.to, query.defaultCountry) : undefined;
  const filters = { ...query, toIdx };
  return deps.db.transaction().execute(async (tx) => {
    let q = filtered(tx, incidentId, filters).select(['id', 'kind', 'channel', 'created_at', 'sealed']);
    if (query.before && !query.message) q = q.where('id', '<', String(query.before));
    const rows = await q.orderBy('id', 'desc').limit(PAGE).execute();
    const total = await filtered(tx, incidentId, filters)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const messages = await Promise.all(
      rows.map(async (r) => {
        const m = JSON.parse(await deps.crypto.decrypt(r.sealed, OUTBOX_CONTEXT)) as Record<string, unknown>;
        return {
          id: Number(r.id),
          kind: r.kind as SiteMessageKind,
          channel: r.channel as 'email' | 'sms',
          createdAt: new Date(r.created_at).toISOString(),
          to: String(m.to ?? ''),
          subject: (m.subject as string | undefined) || null,
          text: String(m.text ?? ''),
          html: (m.html as string | undefined) ?? null,
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
      total: Number(total.n),
      nextBefore: rows.length === PAGE && !query.message ? Number(rows[rows.length - 1]!.id) : null,
    };
  });
}
