/**
 * The SMS channel port: what the delivery engine sees of any SMS provider. Adapters never throw from
 * `send`; every outcome is a result the engine can act on (record, retry later, or fall back to the next
 * channel). Reasons are stored on delivery rows and shown to staff, so they name HTTP statuses and provider
 * error codes, never the phone number or the message body (invariant 1: no PII in errors).
 */
export interface SmsMessage {
  /** E.164, e.g. +14155550101. */
  to: string;
  body: string;
  /** Deterministic per delivery; sent as an idempotency header where the provider supports it. */
  idempotencyKey: string;
  statusCallbackUrl?: string | undefined;
}

export type SmsSendResult =
  | { ok: true; providerId: string }
  /** `permanent`: this number will never take this message (bad, unreachable, opted out): fall back. */
  | { ok: false; permanent: boolean; reason: string };

export interface SmsProvider {
  readonly name: 'twilio' | 'webhook';
  send(message: SmsMessage): Promise<SmsSendResult>;
}

export type ReceiptState = 'delivered' | 'failed' | 'undelivered' | 'sent' | 'queued';

/** A delivery receipt (status callback) read from a provider's request. */
export interface SmsReceipt {
  providerId: string;
  state: ReceiptState;
  /** True only for a failed or undelivered message whose error says the number itself is unusable. */
  permanent: boolean;
  errorCode: string | null;
}
