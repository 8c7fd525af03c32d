import {
  DEFAULT_TIMEOUT_MS,
  isProviderId,
  isSuccess,
  parseJsonObject,
  permanent,
  postToProvider,
  retryable,
} from './provider-request.ts';
import type { SmsProvider } from './sms.types.ts';
import { webhookSignature } from './webhook.signature.ts';

export interface WebhookOptions {
  url: string;
  /** Shared with the receiver, which checks X-Candor-Signature with it. */
  secret: string;
  from: string;
  timeoutMs?: number;
}

/**
 * A generic signed webhook, for SMS gateways without a Twilio-compatible API: POST JSON
 * `{id, from, to, body, statusCallbackUrl}` with X-Candor-Timestamp and X-Candor-Signature (see
 * webhook.signature.ts). `id` is the idempotency key, also sent as Idempotency-Key, so the receiver can drop
 * a retry it already took.
 */
export function createWebhookProvider(options: WebhookOptions): SmsProvider {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    name: 'webhook',
    async send(message) {
      const rawBody = JSON.stringify({
        id: message.idempotencyKey,
        from: options.from,
        to: message.to,
        body: message.body,
        statusCallbackUrl: message.statusCallbackUrl ?? null,
      });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const answer = await postToProvider(
        options.url,
        {
          headers: {
            'Content-Type': 'application/json',
            Accept: 'application/json',
            'Idempotency-Key': message.idempotencyKey,
            'X-Candor-Timestamp': timestamp,
            'X-Candor-Signature': webhookSignature(options.secret, timestamp, rawBody),
          },
          body: rawBody,
        },
        timeoutMs,
      );
      if (!answer.answered) return answer.failure;
      const { status, text } = answer;
      if (isSuccess(status)) {
        const returnedId = parseJsonObject(text)?.id;
        return { ok: true, providerId: isProviderId(returnedId) ? returnedId : message.idempotencyKey };
      }
      // 401/403 is our credentials, not the person's number: retry (and let the error rate pause the
      // campaign) rather than fail everyone over to letters because of one wrong secret.
      if (status === 401 || status === 403) {
        return retryable(`receiver refused our credentials (HTTP ${status}): check SMS_WEBHOOK_SECRET`);
      }
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
        return permanent(`receiver refused the message (HTTP ${status})`);
      }
      return retryable(`receiver did not take the message (HTTP ${status}); retry later`);
    },
  };
}
