import type { Channel } from '../../../shared/contracts/campaigns.ts';
import type { MessageKind } from '../../db/schema.ts';

export type { Channel, MessageKind };

/**
 * A message ready for a sender: rendered by the feature that asked for it (a campaign's templates, a
 * lookup answer, an inbox reply), addressed, and named by a deterministic Message-ID derived from its row.
 */
export interface RenderedMessage {
  /** Null for an inbox reply to a sender who matches no incident. */
  incidentId: string | null;
  /** Null for every message that is not a campaign notice. */
  campaignId: string | null;
  pn: number | null;
  kind?: MessageKind | undefined;
  /** Extra headers (List-Unsubscribe on update notices). */
  headers?: Record<string, string> | undefined;
  messageId: string;
  to: string;
  from?: string | undefined;
  replyTo?: string | undefined;
  subject?: string | undefined;
  html?: string | undefined;
  text: string;
  /** Letters: the postal address block. */
  address?: string[] | undefined;
  verificationCode: string;
  statusCallbackUrl?: string | undefined;
  /** The email's MIME bytes, composed ahead on a compose thread (SMTP only; see `compose-pool.ts`). */
  composed?: { raw: Uint8Array; envelope: { from: string | false } } | undefined;
}

export type SendOutcome =
  | { ok: true; providerId: string }
  | { ok: false; permanent: boolean; reason: string };

export type SenderKind = 'smtp' | 'sms-provider' | 'outbox';

export interface Sender {
  readonly kind: SenderKind;
  send(message: RenderedMessage): Promise<SendOutcome>;
  close(): void;
}

export interface Senders {
  email: Sender;
  sms: Sender;
  letter: Sender;
  close(): void;
}

/**
 * The people's blind index of an email address or phone number, normalized as imports normalize them
 * (people's door provides it at composition time), so staff find an outbox message by exact address
 * without decrypting the outbox. Null when the value does not normalize.
 */
export type RecipientIndex = (
  kind: 'email' | 'phone',
  value: string,
  defaultCountry?: string | undefined,
) => Buffer | null;
