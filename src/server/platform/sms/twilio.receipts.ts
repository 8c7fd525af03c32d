import { isProviderId } from './provider-request.ts';
import type { ReceiptState, SmsReceipt } from './sms.types.ts';
import { PERMANENT_CARRIER_ERRORS, PERMANENT_NUMBER_ERRORS } from './twilio.errors.ts';

// A Map, not an object literal: a status of "constructor" must not find Object's prototype.
const TWILIO_STATES: ReadonlyMap<string, ReceiptState> = new Map([
  ['accepted', 'queued'],
  ['scheduled', 'queued'],
  ['queued', 'queued'],
  ['sending', 'queued'],
  ['sent', 'sent'],
  ['delivered', 'delivered'],
  ['read', 'delivered'],
  ['undelivered', 'undelivered'],
  ['failed', 'failed'],
  ['canceled', 'failed'],
]);

/**
 * A Twilio status callback (form parameters, already signature-checked) as a receipt, or null when it is
 * not one (no message id, an inbound message, an unknown status). Failed or undelivered with an error that
 * says the number cannot take SMS (carrier 30003/30005/30006, or a refused-number code) is permanent.
 */
export function parseTwilioStatus(params: Record<string, string>): SmsReceipt | null {
  const providerId = params.MessageSid ?? params.SmsSid;
  const state = TWILIO_STATES.get(params.MessageStatus ?? params.SmsStatus ?? '');
  if (!isProviderId(providerId) || !state) return null;
  const errorCode = params.ErrorCode && /^\d{1,6}$/.test(params.ErrorCode) ? params.ErrorCode : null;
  const code = Number(errorCode);
  const isNumberUnusable =
    errorCode !== null && (PERMANENT_CARRIER_ERRORS.has(code) || PERMANENT_NUMBER_ERRORS.has(code));
  return {
    providerId,
    state,
    permanent: (state === 'undelivered' || state === 'failed') && isNumberUnusable,
    errorCode,
  };
}
