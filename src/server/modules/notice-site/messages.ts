import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.ts';
import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import { personalLink, personalLinkToken } from '../campaigns/index.ts';
import { incidentSlug } from '../incidents/index.ts';
import {
  type ClaimedMessage,
  enqueueMessage,
  enqueueMessagesFrom,
  type MessageDecision,
  type OutboundModule,
  plainEmail,
} from '../outbound/index.ts';
import { findPersonPn } from '../people/index.ts';
import { type SiteLocale, siteLocales, updateContentSchema } from './content.ts';
import type { Counters } from './counters.ts';
import { updateText } from './render.ts';
import { readBranding } from './site.ts';
import { subscriptionToken } from './subscriptions.ts';
import { t } from './texts.ts';

/**
 * The site's outgoing messages, sent by the outbound module. A request only enqueues
 * (`enqueueSiteMessage`), in its own transaction, so a lookup costs the same whoever it names; the
 * handlers registered here decide and write each message when outbound sends it: the personal link to an
 * affected address, the short "not affected" note to an unaffected email address, nothing to an unaffected
 * phone number; confirmations, acknowledgements and update notices to subscribers.
 */
export const LOOKUP_LINK_TTL_MS = 7 * 86_400_000;

export type SitePayload =
  | { kind: 'lookup'; identifier: string; channel: 'email' | 'sms'; locale: SiteLocale }
  | { kind: 'subscribe_confirm'; email: string; locale: SiteLocale; subscriptionId: string }
  | { kind: 'contact_ack'; email: string; locale: SiteLocale };

/** What the public pages use of the sending side: a nudge after they enqueued (outbound's message lane). */
export interface SiteMessenger {
  kick(): void;
}

export async function enqueueSiteMessage(
  tx: Executor,
  crypto: Pick<PiiCrypto, 'encrypt'>,
  incidentId: string | null,
  payload: SitePayload,
  options: { inboxMessageId?: string } = {},
): Promise<void> {
  await enqueueMessage(tx, crypto, incidentId, payload, options);
}

/** One update notice per confirmed subscriber, in the publishing transaction (idempotent per pair). */
export async function enqueueUpdateNotices(
  tx: Executor,
  incidentId: string,
  updateId: string,
): Promise<number> {
  return enqueueMessagesFrom(
    tx,
    'update',
    sql`SELECT incident_id, id, ${updateId}::uuid FROM notice_subscriptions
        WHERE incident_id = ${incidentId}::uuid AND status = 'confirmed'`,
  );
}

interface Deps {
  db: Db;
  crypto: PiiCrypto;
  config: { noticeUrl: string };
  counters: Counters;
}

/** Registers the handlers of the site's kinds of message with outbound (composition time). */
export function handleSiteMessages(outbound: Pick<OutboundModule, 'handle'>, deps: Deps): void {
  outbound.handle('lookup', (m) => answerLookup(deps, m));
  outbound.handle('subscribe_confirm', (m) => confirmSubscription(deps, m));
  outbound.handle('contact_ack', (m) => acknowledgeContact(deps, m));
  outbound.handle('update', (m) => updateNotice(deps, m));
}

async function incidentFacts(deps: Deps, incidentId: string | null) {
  const slug = incidentId ? await incidentSlug(deps.db, incidentId, { lock: false }) : '';
  if (slug === undefined) throw new Error(`No incident ${incidentId}: its message cannot name a notice.`);
  const branding = await readBranding(deps.db);
  return { slug, companyName: branding.companyName, site: `${deps.config.noticeUrl}/n/${slug}` };
}

const localeOf = (value: unknown): SiteLocale =>
  siteLocales.includes(value as SiteLocale) ? (value as SiteLocale) : 'en';

/**
 * Claims this hour's message for an identifier (keyed by its blind index); false if another message took
 * it. The retry of the message that took the hour may still send.
 */
async function takeHour(deps: Deps, message: ClaimedMessage, identifier: string): Promise<boolean> {
  const idx = deps.crypto.blindIndex('notice_lookup', identifier);
  const allowed = await sql<{ ok: number }>`
    INSERT INTO notice_lookup_answers (incident_id, identifier_idx, last_sent_at, last_message_id)
    VALUES (${message.incidentId}::uuid, ${idx}, now(), ${message.id})
    ON CONFLICT (incident_id, identifier_idx) DO UPDATE SET last_sent_at = now(), last_message_id = EXCLUDED.last_message_id
      WHERE notice_lookup_answers.last_sent_at < now() - interval '1 hour'
         OR notice_lookup_answers.last_message_id = EXCLUDED.last_message_id
    RETURNING 1 AS ok`.execute(deps.db);
  return allowed.rows.length > 0;
}

async function answerLookup(deps: Deps, message: ClaimedMessage): Promise<MessageDecision> {
  const payload = message.payload as Extract<SitePayload, { kind: 'lookup' }>;
  const incidentId = message.incidentId!;
  const l = localeOf(payload.locale);
  // At most one answer per identifier per hour.
  if (!(await takeHour(deps, message, `${payload.channel}:${payload.identifier}`))) {
    deps.counters.add(incidentId, 'answersThrottled');
    return { skip: 'answered within the last hour' };
  }
  const facts = await incidentFacts(deps, incidentId);
  const pn = await findPersonPn(
    deps.db,
    deps.crypto,
    incidentId,
    payload.channel === 'email' ? { email: payload.identifier } : { phone: payload.identifier },
  );
  if (pn === null) {
    deps.counters.add(incidentId, 'answeredUnaffected');
    // An SMS to any number typed in costs money and invites toll fraud: unaffected numbers get nothing.
    if (payload.channel === 'sms') return { skip: 'unaffected phone number' };
    return {
      send: {
        channel: 'email',
        to: payload.identifier,
        ...plainEmail(facts.companyName, {
          subject: t(l, 'mail_not_affected_subject'),
          lines: [t(l, 'mail_not_affected'), t(l, 'mail_not_you')],
          link: { href: facts.site, label: t(l, 'back_to_notice') },
        }),
      },
    };
  }
  deps.counters.add(incidentId, 'answeredAffected');
  const token = personalLinkToken(deps.crypto, incidentId, pn, new Date(Date.now() + LOOKUP_LINK_TTL_MS));
  const link = personalLink(deps.config.noticeUrl, facts.slug, token);
  if (payload.channel === 'sms') {
    return {
      send: {
        channel: 'sms',
        to: payload.identifier,
        text: `${facts.companyName}: ${t(l, 'sms_lookup')} ${link}`,
      },
    };
  }
  return {
    send: {
      channel: 'email',
      to: payload.identifier,
      ...plainEmail(facts.companyName, {
        subject: t(l, 'mail_lookup_subject'),
        lines: [t(l, 'mail_lookup_intro'), t(l, 'mail_lookup_expiry'), t(l, 'mail_not_you')],
        link: { href: link, label: t(l, 'me_title') },
      }),
    },
  };
}

async function confirmSubscription(deps: Deps, message: ClaimedMessage): Promise<MessageDecision> {
  const payload = message.payload as Extract<SitePayload, { kind: 'subscribe_confirm' }>;
  const l = localeOf(payload.locale);
  // One confirmation per address per hour, however many IPs ask: subscribing is not a way to mail-bomb.
  if (!(await takeHour(deps, message, `subscribe:${payload.email}`))) {
    return { skip: 'confirmation sent within the last hour' };
  }
  const facts = await incidentFacts(deps, message.incidentId);
  const token = subscriptionToken(deps.crypto, payload.subscriptionId, 'confirm');
  return {
    send: {
      channel: 'email',
      to: payload.email,
      ...plainEmail(facts.companyName, {
        subject: t(l, 'mail_confirm_subject'),
        lines: [t(l, 'mail_confirm'), t(l, 'mail_not_you')],
        link: { href: `${facts.site}/subscribe/confirm/${token}`, label: t(l, 'subscribe_confirm_button') },
      }),
    },
  };
}

async function acknowledgeContact(deps: Deps, message: ClaimedMessage): Promise<MessageDecision> {
  const payload = message.payload as Extract<SitePayload, { kind: 'contact_ack' }>;
  const l = localeOf(payload.locale);
  const facts = await incidentFacts(deps, message.incidentId);
  return {
    send: {
      channel: 'email',
      to: payload.email,
      ...plainEmail(facts.companyName, {
        subject: t(l, 'mail_contact_subject'),
        lines: [t(l, 'mail_contact')],
        link: { href: facts.site, label: t(l, 'back_to_notice') },
      }),
    },
  };
}

async function updateNotice(deps: Deps, message: ClaimedMessage): Promise<MessageDecision> {
  const subscription = await deps.db
    .selectFrom('notice_subscriptions')
    .select(['id', 'email_sealed', 'locale', 'status'])
    .where('id', '=', message.subscriptionId!)
    .executeTakeFirst();
  if (subscription?.status !== 'confirmed') return { skip: 'unsubscribed' };
  const update = await deps.db
    .selectFrom('notice_updates')
    .select(['content'])
    .where('id', '=', message.updateId!)
    .executeTakeFirstOrThrow();
  const facts = await incidentFacts(deps, message.incidentId);
  const l = localeOf(subscription.locale);
  const text = updateText(updateContentSchema.parse(update.content), l);
  const email = await deps.crypto.decrypt(subscription.email_sealed, 'notice_subscriptions.email');
  const unsubscribe = `${facts.site}/unsubscribe/${subscriptionToken(deps.crypto, subscription.id, 'unsubscribe')}`;
  return {
    send: {
      channel: 'email',
      to: email,
      ...plainEmail(facts.companyName, {
        subject: `${t(l, 'mail_update_subject')} ${text.title}`,
        lines: [
          text.title,
          ...text.body.split(/\n\s*\n/),
          `${t(l, 'mail_update_read')} ${facts.site}#update-${message.updateId}`,
          `${t(l, 'mail_unsubscribe')} ${unsubscribe}`,
        ],
      }),
      // RFC 8058 one-click unsubscribe: mail clients POST to this address.
      headers: {
        'List-Unsubscribe': `<${unsubscribe}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    },
  };
}
