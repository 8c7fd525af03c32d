/**
 * The SMS channel: one port (`SmsProvider`), two adapters (Twilio's Messages API and a generic signed
 * webhook), and the pieces the receipt routes need to check and read status callbacks.
 */
export { normalizeE164 } from './e164.ts';
export type { ReceiptState, SmsMessage, SmsProvider, SmsReceipt, SmsSendResult } from './sms.types.ts';
export { createTwilioProvider, type TwilioOptions } from './twilio.provider.ts';
export { parseTwilioStatus } from './twilio.receipts.ts';
export { twilioSignature, verifyTwilioSignature } from './twilio.signature.ts';
export { createWebhookProvider, type WebhookOptions } from './webhook.provider.ts';
export { parseWebhookReceipt } from './webhook.receipts.ts';
export { isPlausibleWebhook, verifyWebhookSignature, webhookSignature } from './webhook.signature.ts';
