/**
 * Twilio error codes that mean the number itself will never take an SMS from us, so retrying is pointless
 * and the delivery falls back to the next channel. Everything else (credentials, account limits, outages)
 * is our side or temporary and stays retryable.
 * https://www.twilio.com/docs/api/errors
 */
export const PERMANENT_NUMBER_ERRORS: ReadonlyMap<number, string> = new Map([
  [21211, 'not a valid phone number'],
  [21408, 'sending to this region is not enabled'],
  [21610, 'the recipient has opted out (STOP) of messages from this sender'],
  [21614, 'not a mobile number'],
]);

/** Carrier errors reported in status callbacks for a number that cannot receive SMS. */
export const PERMANENT_CARRIER_ERRORS: ReadonlyMap<number, string> = new Map([
  [30003, 'unreachable handset'],
  [30005, 'unknown number'],
  [30006, 'landline or unreachable carrier'],
]);
