import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import { AppError } from '../../platform/errors.ts';
import type { RecipientIndex } from './outbound.types.ts';
import { OUTBOX_CONTEXT } from './senders.ts';

/**
 * What the two outbox readers share (the campaigns' mailbox, `campaign-outbox.ts`, and the notice site's,
 * `site-outbox.ts`): the page size and cursor, the recipient typed by staff as a blind index, and a sealed
 * message opened into its fields.
 */
export const OUTBOX_PAGE = 50;

/** The blind index of a recipient typed by staff: an email when it has an @, else a phone number. */
export function recipientLookup(
  recipients: RecipientIndex,
  to: string,
  defaultCountry?: string | undefined,
): Buffer {
  const found = recipients(to.includes('@') ? 'email' : 'phone', to, defaultCountry);
  if (!found) {
    throw new AppError(
      'validation_failed',
      'That is not an email address or phone number we can search for. Check it (phone numbers need their country code, or a country).',
    );
  }
  return found;
}

/** A stored message, decrypted (a read of personal data: callers audit it in the same transaction). */
export async function openOutboxMessage(crypto: Pick<PiiCrypto, 'decrypt'>, sealed: Buffer) {
  const m = JSON.parse(await crypto.decrypt(sealed, OUTBOX_CONTEXT)) as Record<string, unknown>;
  return {
    to: String(m.to ?? ''),
    subject: m.subject as string | undefined,
    text: String(m.text ?? ''),
    html: (m.html as string | undefined) ?? null,
    address: (m.address as string[] | undefined) ?? null,
    verificationCode: String(m.verificationCode ?? ''),
  };
}

/** The cursor of the next page: the last id of a full page, none for a single message by id. */
export function nextPageBefore(
  rows: ReadonlyArray<{ id: string | number }>,
  isOneMessage: boolean,
): number | null {
  return rows.length === OUTBOX_PAGE && !isOneMessage ? Number(rows[rows.length - 1]!.id) : null;
}
