import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import {
  candorSignedRoute,
  installWebhookBodies,
  twilioSignedRoute,
} from '../../platform/http/signed-webhook.ts';
import type { Logger } from '../../platform/logging/logger.ts';
import { parseTwilioStatus, parseWebhookReceipt } from '../../platform/sms/index.ts';
import type { CampaignLane } from './campaign-lane.ts';
import {
  deliveryByProviderId,
  emailDeliveryByMessageId,
  markDelivered,
} from './delivery-reports.repository.ts';
import { recordProviderEvent } from './provider-events.repository.ts';

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
  engine: () => CampaignLane;
}): FastifyPluginAsync {
  return async (app) => {
    installWebhookBodies(app);

    twilioSignedRoute(app, {
      url: '/api/hooks/sms/twilio',
      reason: 'provider delivery receipts, checked by X-Twilio-Signature',
      authToken: () => deps.config.SMS_TWILIO_AUTH_TOKEN,
      publicUrl: () => deps.config.publicUrl,
      handler: async (_request, reply, params) => {
        const receipt = parseTwilioStatus(params);
        if (receipt) await apply(deps, 'twilio', `${receipt.providerId}:${receipt.state}`, receipt);
        return reply.code(204).send();
      },
    });

    candorSignedRoute(app, {
      url: '/api/hooks/email',
      reason: 'email provider bounce reports, checked by X-Candor-Signature',
      secret: () => deps.config.EMAIL_WEBHOOK_SECRET,
      handler: async (_request, reply, json) => {
        const event = emailEvent.safeParse(json);
        if (!event.success) {
          return reply
            .code(400)
            .send({ error: 'expected {id, messageId, event: delivered|bounce|complaint, permanent}' });
        }
        const e = event.data;
        const delivery = await emailDeliveryByMessageId(deps.db, e.messageId);
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
    });

    candorSignedRoute(app, {
      url: '/api/hooks/sms/webhook',
      reason: 'provider delivery receipts, checked by X-Candor-Signature',
      secret: () => deps.config.SMS_WEBHOOK_SECRET,
      handler: async (_request, reply, json) => {
        const receipt = parseWebhookReceipt(json);
        if (!receipt) return reply.code(400).send({ error: 'not a receipt: expected {id, status}' });
        await apply(deps, 'webhook', `${receipt.providerId}:${receipt.state}`, receipt);
        return reply.code(204).send();
      },
    });
  };
}

async function apply(
  deps: { db: Db; logger: Logger; engine: () => CampaignLane },
  provider: string,
  eventId: string,
  receipt: { providerId: string; state: string; permanent: boolean; errorCode: string | null },
) {
  await deps.db.transaction().execute(async (tx) => {
    if (!(await recordProviderEvent(tx, provider, eventId))) return;
    const delivery = await deliveryByProviderId(tx, receipt.providerId);
    if (!delivery) return;
    if (receipt.state === 'delivered') {
      await markDelivered(tx, delivery);
    } else if ((receipt.state === 'failed' || receipt.state === 'undelivered') && receipt.permanent) {
      await deps
        .engine()
        .failOver(
          tx,
          { id: delivery.campaign_id, incident_id: delivery.incident_id },
          delivery,
          `provider reported ${receipt.state}${receipt.errorCode ? ` (${receipt.errorCode})` : ''}`,
          'bounced',
          'report',
        );
    }
  });
}
