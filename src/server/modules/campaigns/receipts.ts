import type { FastifyPluginAsync } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { Logger } from '../../platform/logging/logger.ts';
import {
  parseTwilioStatus,
  parseWebhookReceipt,
  verifyTwilioSignature,
  verifyWebhookSignature,
} from '../../platform/sms/index.ts';
import type { createDeliveryEngine } from './delivery.ts';

const emailEvent = z.object({
  id: z.string().min(1).max(200),
  messageId: z.string().min(3).max(300),
  event: z.enum(['delivered', 'bounce', 'complaint']),
  permanent: z.boolean().default(false),
  code: z.string().max(50).optional(),
});

/**
 * Delivery receipts and bounce reports from providers (public routes, authenticated by the provider's
 * signature; a bad signature is 401 and nothing is stored). Each provider event is applied once. Delivered
 * moves `sent → delivered`; a permanent failure bounces the delivery and moves the person to the next
 * channel, like a hard bounce at send time.
 */
export function receiptsRoutes(deps: {
  db: Db;
  config: Config;
  logger: Logger;
  engine: () => ReturnType<typeof createDeliveryEngine>;
}): FastifyPluginAsync {
  return async (app) => {
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      },
    );
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
      (req as unknown as { rawBody: string }).rawBody = body as string;
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(null, null);
      }
    });

    app.post(
      '/api/hooks/sms/twilio',
      {
        config: {
          access: { public: true, reason: 'provider delivery receipts, checked by X-Twilio-Signature' },
        },
      },
      async (request, reply) => {
        const token = deps.config.SMS_TWILIO_AUTH_TOKEN;
        const params = (request.body ?? {}) as Record<string, string>;
        const url = `${deps.config.publicUrl}${request.url}`;
        const signature = request.headers['x-twilio-signature'];
        if (
          !token ||
          !verifyTwilioSignature(token, url, params, typeof signature === 'string' ? signature : undefined)
        ) {
          return reply.code(401).send({ error: 'bad signature' });
        }
        const receipt = parseTwilioStatus(params);
        if (receipt) await apply(deps, 'twilio', `${receipt.providerId}:${receipt.state}`, receipt);
        return reply.code(204).send();
      },
    );
    app.post(
      '/api/hooks/email',
      {
        config: {
          access: { public: true, reason: 'email provider bounce reports, checked by X-Candor-Signature' },
        },
      },
      async (request, reply) => {
        if (!signedByCandorScheme(request, deps.config.EMAIL_WEBHOOK_SECRET)) {
          return reply.code(401).send({ error: 'bad signature' });
        }
        const event = emailEvent.safeParse(request.body);
        if (!event.success) {
          return reply
            .code(400)
            .send({ error: 'expected {id, messageId, event: delivered|bounce|complaint, permanent}' });
        }
        const e = event.data;
        const delivery = await deps.db
          .selectFrom('deliveries')
          .select('provider_id')
          .where('message_id', '=', e.messageId)
          .where('channel', '=', 'email')
          .executeTakeFirst();
        if (delivery?.provider_id) {
          // A complaint is recorded by the provider but changes nothing: legally required notices are not
          // marketing, and a person's complaint does not end the duty to tell them (DESIGN invariant 5).
          if (e.event !== 'complaint') {
            await apply(deps, 'email', e.id, {
              providerId: delivery.provider_id,
              state: e.event === 'delivered' ? 'delivered' : 'failed',
              permanent: e.event === 'bounce' && e.permanent,
              errorCode: e.event === 'bounce' ? (e.code ?? 'bounce') : null,
            });
          }
        }
        return reply.code(204).send();
      },
    );
    app.post(
      '/api/hooks/sms/webhook',
      {
        config: {
          access: { public: true, reason: 'provider delivery receipts, checked by X-Candor-Signature' },
        },
      },
      async (request, reply) => {
        if (!signedByCandorScheme(request, deps.config.SMS_WEBHOOK_SECRET)) {
          return reply.code(401).send({ error: 'bad signature' });
        }
        const receipt = parseWebhookReceipt(request.body);
        if (!receipt) return reply.code(400).send({ error: 'not a receipt: expected {id, status}' });
        await apply(deps, 'webhook', `${receipt.providerId}:${receipt.state}`, receipt);
        return reply.code(204).send();
      },
    );
  };
}

/** Our webhook signature (`X-Candor-Timestamp` + `X-Candor-Signature`) over the raw body, with `secret`. */
function signedByCandorScheme(
  request: { headers: Record<string, string | string[] | undefined> },
  secret: string | undefined,
): boolean {
  const raw = (request as unknown as { rawBody?: string }).rawBody ?? '';
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  return (
    Boolean(secret) &&
    verifyWebhookSignature(secret!, raw, header('x-candor-timestamp'), header('x-candor-signature'))
  );
}

async function apply(
  deps: { db: Db; logger: Logger; engine: () => ReturnType<typeof createDeliveryEngine> },
  provider: string,
  eventId: string,
  receipt: { providerId: string; state: string; permanent: boolean; errorCode: string | null },
) {
  await deps.db.transaction().execute(async (tx) => {
    const fresh = await tx
      .insertInto('provider_events')
      .values({ provider, event_id: eventId.slice(0, 300) })
      .onConflict((oc) => oc.doNothing())
      .returning('event_id')
      .executeTakeFirst();
    if (!fresh) return;
    const delivery = await tx
      .selectFrom('deliveries as d')
      .innerJoin('campaigns as c', 'c.id', 'd.campaign_id')
      .select([
        'd.incident_id',
        'd.campaign_id',
        'd.pn',
        'd.channel',
        'd.step',
        'd.variant_id',
        'd.locale',
        'd.state',
        'c.channels',
      ])
      .where('d.provider_id', '=', receipt.providerId)
      .executeTakeFirst();
    if (!delivery) return;
    if (receipt.state === 'delivered') {
      await sql`UPDATE deliveries SET state = 'delivered', settled_at = now(), updated_at = now()
                WHERE incident_id = ${delivery.incident_id} AND campaign_id = ${delivery.campaign_id}
                  AND pn = ${delivery.pn} AND channel = ${delivery.channel} AND state = 'sent'`.execute(tx);
    } else if ((receipt.state === 'failed' || receipt.state === 'undelivered') && receipt.permanent) {
      await deps
        .engine()
        .failOver(
          tx,
          { id: delivery.campaign_id, incident_id: delivery.incident_id, channels: delivery.channels },
          delivery,
          `provider reported ${receipt.state}${receipt.errorCode ? ` (${receipt.errorCode})` : ''}`,
          'bounced',
          'report',
        );
    }
  });
}
