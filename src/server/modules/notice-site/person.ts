import { sql } from 'kysely';
import { categoriesOf } from '../../../shared/taxonomy.ts';
import type { Db } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import { openToken, signToken } from '../../platform/crypto/signed-tokens.ts';
import {
  assignedActivationCode,
  categoryPhrase,
  guidanceFor,
  inGuidanceOrder,
  maskEmail,
  maskPhone,
  readPersonalLinkToken,
} from '../campaigns/index.ts';
import { contactsFor } from '../people/index.ts';
import type { SiteLocale } from './content.ts';

/**
 * The personal page: who the visitor is comes only from a signed personal link (exchanged for a short-lived
 * cookie) and is checked against revocations on every request. What it shows is decrypted per view and
 * each view is audited as a read of that person's data by an anonymous visitor holding their link.
 */
export const SESSION_TTL_MS = 30 * 60_000;

export interface PersonSession {
  incidentId: string;
  pn: number;
  /** When the personal link it came from was issued: revocations after it close the session. */
  linkIssuedAt: number;
  expiresAt: number;
}

export function sessionCookieValue(crypto: Pick<PiiCrypto, 'blindIndex'>, session: PersonSession): string {
  const payload = `${session.incidentId}.${session.pn}.${session.linkIssuedAt}.${session.expiresAt}`;
  return signToken(crypto, 'personSession', Buffer.from(payload).toString('base64url'));
}

export function readSessionCookie(
  crypto: Pick<PiiCrypto, 'blindIndex'>,
  value: string | undefined,
  now = Date.now(),
): PersonSession | null {
  const encoded = openToken(crypto, 'personSession', value);
  if (!encoded) return null;
  const [incidentId, pn, issued, expires, extra] = Buffer.from(encoded, 'base64url')
    .toString('utf8')
    .split('.');
  if (!incidentId || !pn || !issued || !expires || extra !== undefined) return null;
  const session = { incidentId, pn: Number(pn), linkIssuedAt: Number(issued), expiresAt: Number(expires) };
  return session.expiresAt > now ? session : null;
}

/** A personal link's token, checked: signature, expiry, incident and revocations. */
export async function openPersonalLink(
  db: Db,
  crypto: Pick<PiiCrypto, 'blindIndex'>,
  incidentId: string,
  token: string,
): Promise<PersonSession | null> {
  const link = readPersonalLinkToken(crypto, token);
  if (!link || link.expired || link.incidentId !== incidentId) return null;
  if (await isRevoked(db, incidentId, link.pn, link.issuedAt.getTime())) return null;
  return {
    incidentId,
    pn: link.pn,
    linkIssuedAt: link.issuedAt.getTime(),
    expiresAt: Date.now() + SESSION_TTL_MS,
  };
}

export async function isRevoked(
  db: Db,
  incidentId: string,
  pn: number,
  issuedAtMs: number,
): Promise<boolean> {
  const row = await sql<{ cutoff: Date | null }>`
    SELECT greatest(
      (SELECT links_valid_after FROM notice_sites WHERE incident_id = ${incidentId}::uuid),
      (SELECT revoked_before FROM notice_link_revocations WHERE incident_id = ${incidentId}::uuid AND pn = ${pn})
    ) AS cutoff`.execute(db);
  const cutoff = row.rows[0]?.cutoff;
  return cutoff !== null && cutoff !== undefined && issuedAtMs < new Date(cutoff).getTime();
}

/** "Close this page on all devices": every link issued to this person until now stops working. */
export async function revokePersonLinks(db: Db, incidentId: string, pn: number): Promise<void> {
  // The application's clock, like the links' issue times it is compared with.
  const now = new Date();
  await sql`
    INSERT INTO notice_link_revocations (incident_id, pn, revoked_before) VALUES (${incidentId}::uuid, ${pn}, ${now})
    ON CONFLICT (incident_id, pn) DO UPDATE SET revoked_before = EXCLUDED.revoked_before`.execute(db);
}

export interface PersonalView {
  personId: string;
  exposed: { category: string; phrase: string }[];
  identifiers: string[];
  steps: { title: string; steps: string[] }[];
  activationCode: string | null;
  feedback: { rating: number } | null;
}

/** What the page shows, decrypted for this view and audited in the same transaction as the read. */
export async function personalView(
  db: Db,
  crypto: PiiCrypto,
  session: PersonSession,
  locale: SiteLocale,
  requestId: string,
): Promise<PersonalView | null> {
  const contacts = await contactsFor(db, crypto, session.incidentId, [session.pn]);
  const contact = contacts.get(session.pn);
  if (!contact) return null;
  const categories = categoriesOf(contact.categories);
  const jurisdiction = contact.jurisdiction || undefined;
  const identifiers = [
    ...(contact.email ? [maskEmail(contact.email)] : []),
    ...(contact.phone ? [maskPhone(contact.phone)] : []),
  ];
  const activationCode = await assignedActivationCode(db, crypto, session.incidentId, session.pn);
  const feedback = await db
    .selectFrom('notice_feedback')
    .select('rating')
    .where('incident_id', '=', session.incidentId)
    .where('pn', '=', session.pn)
    .executeTakeFirst();
  await db.transaction().execute((tx) =>
    recordAudit(tx, {
      actor: { type: 'anonymous', id: null, label: 'affected person (personal link)' },
      action: 'notice.personal_page_viewed',
      requestId,
      target: { type: 'person', id: contact.id },
      details: { incidentId: session.incidentId, categories: categories.length },
    }),
  );
  return {
    personId: contact.id,
    exposed: categories.map((c) => ({ category: c, phrase: categoryPhrase(c, locale, jurisdiction) })),
    identifiers,
    // Most serious first, as in the notices people received.
    steps: inGuidanceOrder(categories).flatMap((c) => {
      const g = guidanceFor(c, locale, jurisdiction);
      return g ? [g] : [];
    }),
    activationCode,
    feedback: feedback ? { rating: feedback.rating } : null,
  };
}
