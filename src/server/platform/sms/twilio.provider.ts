import {
  DEFAULT_TIMEOUT_MS,
  isProviderId,
  isSuccess,
  parseJsonObject,
  permanent,
  postToProvider,
  retryable,
} from './provider-request.ts';
import type { SmsProvider, SmsSendResult } from './sms.types.ts';
import { PERMANENT_NUMBER_ERRORS } from './twilio.errors.ts';

export interface TwilioOptions {
  /** e.g. https://api.twilio.com; tests point it at the fake. */
  baseUrl: string;
  accountSid: string;
  authToken: string;
  /** A sender number (E.164) or a Messaging Service SID (MG…). */
  from: string;
  timeoutMs?: number;
}

const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;

/** Twilio's Messages API (and any service that speaks it). */
export function createTwilioProvider(options: TwilioOptions): SmsProvider {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  const sender = MESSAGING_SERVICE_SID.test(options.from) ? 'MessagingServiceSid' : 'From';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    name: 'twilio',
    async send(message) {
      const form = new URLSearchParams({ To: message.to, [sender]: options.from, Body: message.body });
      if (message.statusCallbackUrl) form.set('StatusCallback', message.statusCallbackUrl);
      const answer = await postToProvider(
        url,
        {
          headers: {
            Authorization: authorization,
            'Content-Type': 'application/x-www-form-urlencoded',
            Accept: 'application/json',
            'I-Twilio-Idempotency-Token': message.idempotencyKey,
          },
          body: form.toString(),
        },
        timeoutMs,
      );
      return answer.answered ? readTwilioAnswer(answer.status, answer.text) : answer.failure;
    },
  };
}

/**
 * Twilio's error bodies quote the number ("The 'To' number +1… is not a valid phone number"), so only the
 * HTTP status and the numeric code are kept.
 */
function readTwilioAnswer(status: number, text: string): SmsSendResult {
  const json = parseJsonObject(text);
  if (isSuccess(status)) {
    // An unreadable success may still mean the message left: retryable, and the idempotency token keeps
    // the retry from sending it twice.
    return json && isProviderId(json.sid)
      ? { ok: true, providerId: json.sid }
      : retryable(`provider answered garbage (HTTP ${status})`);
  }
  const code = typeof json?.code === 'number' && Number.isInteger(json.code) ? json.code : null;
  const answered = code === null ? `HTTP ${status}` : `HTTP ${status}, Twilio error ${code}`;
  const numberProblem = status === 400 && code !== null ? PERMANENT_NUMBER_ERRORS.get(code) : undefined;
  if (numberProblem) return permanent(`Twilio refused the number: ${numberProblem} (${answered})`);
  if (status === 429) return retryable(`provider is rate limiting (${answered}); retry later`);
  if (status >= 500) return retryable(`provider is unavailable (${answered}); retry later`);
  if (status === 401 || status === 403) {
    return retryable(`provider refused our credentials (${answered}); check the account SID and auth token`);
  }
  return retryable(`provider refused the message (${answered})`);
}
