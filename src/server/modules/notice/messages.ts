import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.ts';
import type { SentVia, SiteMessageKind } from '../../db/schema.ts';
import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import type { Logger } from '../../platform/logging/logger.ts';
import { personalLink, personalLinkToken, type RenderedMessage, type Senders } from '../campaigns/index.ts';
import { findPersonPn } from '../population/index.ts';
import { type SiteLocale, siteLocales, updateContentSchema } from './content.ts';
import type { Counters } from './counters.ts';
import { esc, updateText } from './render.ts';
import { readBranding } from './site.ts';
import { subscriptionToken } from './subscriptions.ts';
import { t } from './texts.ts';

/**
 * The site's outgoing messages. A request only enqueues (`enqueueSiteMessage`), in its own transaction, so
 * a lookup costs the same whoever it names; this sender then decides and sends: the personal link to an
 * affected address, the short "not affected" note to an unaffected email address, nothing to an
 * unaffected phone number. Rows are claimed with SKIP LOCKED under a lease, so several processes share the
 * queue and a crashed one's rows are taken again; Message-IDs are per row, so the outbox stores a resend once.
 */
export const SITE_PAYLOAD_CONTEXT = 'notice_messages.payload';
export const LOOKUP_LINK_TTL_MS = 7 * 86_400_000;
const LEASE_SECONDS = 60;
const MAX_ATTEMPTS = 6;

export type SitePayload =
  | { kind: 'lookup'; identifier: string; channel: 'email' | 'sms'; locale: SiteLocale }
  | { kind: 'subscribe_confirm'; email: string; locale: SiteLocale; subscriptionId: string }
  | { kind: 'contact_ack'; email: string; locale: SiteLocale }
  /** Prepared by the inbox (replies, verification codes, the satisfaction question): sent as given. */
  | {
      kind: 'inbox_reply' | 'inbox_verification' | 'inbox_csat';
      channel: 'email' | 'sms';
      to: string;
      subject: string | null;
      text: string;
      locale: SiteLocale;
    };

type PreparedPayload = Extract<SitePayload, { to: string }>;
function isPrepared(payload: SitePayload): payload is PreparedPayload {
  return (
    payload.kind === 'inbox_reply' || payload.kind === 'inbox_verification' || payload.kind === 'inbox_csat'
  );
}

/** The Message-ID of a site message: per row, so the outbox stores a resend once (and can be found by it). */
export function siteMessageId(noticeUrl: string, rowId: string | number): string {
  const host = new URL(noticeUrl).hostname || 'candor.invalid';
  return `<site.${rowId}@${host}>`;
}

export async function enqueueSiteMessage(
  tx: Executor,
  crypto: Pick<PiiCrypto, 'encrypt'>,
  incidentId: string | null,
  payload: SitePayload,
  options: { inboxMessageId?: string } = {},
): Promise<void> {
  await tx
    .insertInto('notice_messages')
    .values({
      incident_id: incidentId,
      kind: payload.kind,
      payload: crypto.encrypt(JSON.stringify(payload), SITE_PAYLOAD_CONTEXT),
      inbox_message_id: options.inboxMessageId ?? null,
    })
    .execute();
}

/** One update notice per confirmed subscriber, in the publishing transaction (idempotent per pair). */
export async function enqueueUpdateNotices(
  tx: Executor,
  incidentId: string,
  updateId: string,
): Promise<number> {
  const result = await sql`
    INSERT INTO notice_messages (incident_id, kind, subscription_id, update_id)
    SELECT incident_id, 'update', id, ${updateId}::uuid FROM notice_subscriptions
    WHERE incident_id = ${incidentId}::uuid AND status = 'confirmed'
    ON CONFLICT (update_id, subscription_id) DO NOTHING`.execute(tx);
  return Number(result.numAffectedRows ?? 0);
}

interface Deps {
  db: Db;
  crypto: PiiCrypto;
  logger: Logger;
  config: { noticeUrl: string; CANDOR_MAIL_FROM: string };
  senders: () => Senders;
  counters: Counters;
}

interface ClaimedRow {
  id: string;
  incident_id: string | null;
  kind: SiteMessageKind;
  payload: Buffer | null;
  subscription_id: string | null;
  update_id: string | null;
  attempts: number;
}

type Outcome =
  | { state: 'sent' | 'skipped'; outcome: string }
  | { state: 'retry'; outcome: string }
  | { state: 'failed'; outcome: string };

export function createSiteMessenger(deps: Deps) {
  let kicked: NodeJS.Immediate | null = null;
  let running: Promise<number> | null = null;

  async function claim(limit: number): Promise<ClaimedRow[]> {
    const result = await sql<ClaimedRow>`
      UPDATE notice_messages SET lease_until = now() + make_interval(secs => ${LEASE_SECONDS}), attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM notice_messages
        WHERE state = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
        ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING id, incident_id, kind, payload, subscription_id, update_id, attempts`.execute(deps.db);
    return result.rows;
  }

  async function incidentFacts(incidentId: string | null) {
    const incident = incidentId
      ? await deps.db
          .selectFrom('incidents')
          .select(['public_slug'])
          .where('id', '=', incidentId)
          .executeTakeFirstOrThrow()
      : null;
    const branding = await readBranding(deps.db);
    return { slug: incident?.public_slug ?? '', companyName: branding.companyName };
  }

  function envelope(
    row: ClaimedRow,
    to: string,
    companyName: string,
    parts: { subject: string; lines: string[]; link?: { href: string; label: string } },
  ): RenderedMessage {
    const text = [...parts.lines, ...(parts.link ? [parts.link.href] : []), '', companyName].join('\n\n');
    const html = `<div style="font-family:system-ui,sans-serif;max-width:36rem">${parts.lines
      .map((line) => `<p>${esc(line)}</p>`)
      .join('')}${
      parts.link ? `<p><a href="${esc(parts.link.href)}">${esc(parts.link.label)}</a></p>` : ''
    }<p>${esc(companyName)}</p></div>`;
    return {
      incidentId: row.incident_id,
      campaignId: null,
      pn: null,
      kind: row.kind,
      messageId: siteMessageId(deps.config.noticeUrl, row.id),
      to,
      from: deps.config.CANDOR_MAIL_FROM,
      subject: parts.subject,
      text,
      html,
      verificationCode: '',
    };
  }

  /**
   * Claims this hour's message for an identifier (keyed by its blind index); false if another message took
   * it. The retry of the message that took the hour may still send.
   */
  async function takeHour(row: ClaimedRow, identifier: string): Promise<boolean> {
    const idx = deps.crypto.blindIndex('notice_lookup', identifier);
    const allowed = await sql<{ ok: number }>`
      INSERT INTO notice_lookup_answers (incident_id, identifier_idx, last_sent_at, last_message_id)
      VALUES (${row.incident_id}::uuid, ${idx}, now(), ${row.id})
      ON CONFLICT (incident_id, identifier_idx) DO UPDATE SET last_sent_at = now(), last_message_id = EXCLUDED.last_message_id
        WHERE notice_lookup_answers.last_sent_at < now() - interval '1 hour'
           OR notice_lookup_answers.last_message_id = EXCLUDED.last_message_id
      RETURNING 1 AS ok`.execute(deps.db);
    return allowed.rows.length > 0;
  }

  /**
   * Which sender took each row's message (SMTP, the SMS provider or the embedded outbox), recorded when it
   * settles, so an inbox thread can say where its reply or verification code went.
   */
  const sentVia = new WeakMap<ClaimedRow, SentVia>();
  function sendersFor(row: ClaimedRow): Senders {
    const senders = deps.senders();
    const tracked = (sender: Senders['email']): Senders['email'] => ({
      kind: sender.kind,
      close: () => sender.close(),
      send: (message) => {
        sentVia.set(row, sender.kind);
        return sender.send(message);
      },
    });
    return { ...senders, email: tracked(senders.email), sms: tracked(senders.sms) };
  }

  async function process(row: ClaimedRow): Promise<Outcome> {
    const facts = await incidentFacts(row.incident_id);
    const site = `${deps.config.noticeUrl}/n/${facts.slug}`;
    if (row.kind === 'update') return processUpdate(row, facts, site);
    const payload = JSON.parse(await deps.crypto.decrypt(row.payload!, SITE_PAYLOAD_CONTEXT)) as SitePayload;
    const l = siteLocales.includes(payload.locale) ? payload.locale : 'en';
    const senders = sendersFor(row);
    if (isPrepared(payload)) {
      const message = envelope(row, payload.to, facts.companyName, {
        subject: payload.subject ?? '',
        lines: payload.text.split(/\n\s*\n/),
      });
      if (payload.channel === 'sms') {
        return toOutcome(
          await senders.sms.send({ ...message, subject: undefined, html: undefined, text: payload.text }),
          row,
        );
      }
      return toOutcome(await senders.email.send(message), row);
    }
    if (payload.kind === 'lookup') {
      // At most one answer per identifier per hour.
      if (!(await takeHour(row, `${payload.channel}:${payload.identifier}`))) {
        deps.counters.add(row.incident_id!, 'answersThrottled');
        return { state: 'skipped', outcome: 'answered within the last hour' };
      }
      const pn = await findPersonPn(
        deps.db,
        deps.crypto,
        row.incident_id!,
        payload.channel === 'email' ? { email: payload.identifier } : { phone: payload.identifier },
      );
      if (pn === null) {
        deps.counters.add(row.incident_id!, 'answeredUnaffected');
        // An SMS to any number typed in costs money and invites toll fraud: unaffected numbers get nothing.
        if (payload.channel === 'sms') return { state: 'skipped', outcome: 'unaffected phone number' };
        return toOutcome(
          await senders.email.send(
            envelope(row, payload.identifier, facts.companyName, {
              subject: t(l, 'mail_not_affected_subject'),
              lines: [t(l, 'mail_not_affected'), t(l, 'mail_not_you')],
              link: { href: site, label: t(l, 'back_to_notice') },
            }),
          ),
          row,
        );
      }
      deps.counters.add(row.incident_id!, 'answeredAffected');
      const token = personalLinkToken(
        deps.crypto,
        row.incident_id!,
        pn,
        new Date(Date.now() + LOOKUP_LINK_TTL_MS),
      );
      const link = personalLink(deps.config.noticeUrl, facts.slug, token);
      if (payload.channel === 'sms') {
        const message = envelope(row, payload.identifier, facts.companyName, { subject: '', lines: [] });
        return toOutcome(
          await senders.sms.send({
            ...message,
            subject: undefined,
            html: undefined,
            text: `${facts.companyName}: ${t(l, 'sms_lookup')} ${link}`,
          }),
          row,
        );
      }
      return toOutcome(
        await senders.email.send(
          envelope(row, payload.identifier, facts.companyName, {
            subject: t(l, 'mail_lookup_subject'),
            lines: [t(l, 'mail_lookup_intro'), t(l, 'mail_lookup_expiry'), t(l, 'mail_not_you')],
            link: { href: link, label: t(l, 'me_title') },
          }),
        ),
        row,
      );
    }
    if (payload.kind === 'subscribe_confirm') {
      // One confirmation per address per hour, however many IPs ask: subscribing is not a way to mail-bomb.
      if (!(await takeHour(row, `subscribe:${payload.email}`))) {
        return { state: 'skipped', outcome: 'confirmation sent within the last hour' };
      }
      const token = subscriptionToken(deps.crypto, payload.subscriptionId, 'confirm');
      return toOutcome(
        await senders.email.send(
          envelope(row, payload.email, facts.companyName, {
            subject: t(l, 'mail_confirm_subject'),
            lines: [t(l, 'mail_confirm'), t(l, 'mail_not_you')],
            link: { href: `${site}/subscribe/confirm/${token}`, label: t(l, 'subscribe_confirm_button') },
          }),
        ),
        row,
      );
    }
    return toOutcome(
      await senders.email.send(
        envelope(row, payload.email, facts.companyName, {
          subject: t(l, 'mail_contact_subject'),
          lines: [t(l, 'mail_contact')],
          link: { href: site, label: t(l, 'back_to_notice') },
        }),
      ),
      row,
    );
  }

  async function processUpdate(
    row: ClaimedRow,
    facts: { slug: string; companyName: string },
    site: string,
  ): Promise<Outcome> {
    const subscription = await deps.db
      .selectFrom('notice_subscriptions')
      .select(['id', 'email_sealed', 'locale', 'status'])
      .where('id', '=', row.subscription_id!)
      .executeTakeFirst();
    if (subscription?.status !== 'confirmed') return { state: 'skipped', outcome: 'unsubscribed' };
    const update = await deps.db
      .selectFrom('notice_updates')
      .select(['content'])
      .where('id', '=', row.update_id!)
      .executeTakeFirstOrThrow();
    const l = (siteLocales as readonly string[]).includes(subscription.locale)
      ? (subscription.locale as SiteLocale)
      : 'en';
    const text = updateText(updateContentSchema.parse(update.content), l);
    const email = await deps.crypto.decrypt(subscription.email_sealed, 'notice_subscriptions.email');
    const unsubscribe = `${site}/unsubscribe/${subscriptionToken(deps.crypto, subscription.id, 'unsubscribe')}`;
    const message = envelope(row, email, facts.companyName, {
      subject: `${t(l, 'mail_update_subject')} ${text.title}`,
      lines: [
        text.title,
        ...text.body.split(/\n\s*\n/),
        `${t(l, 'mail_update_read')} ${site}#update-${row.update_id}`,
        `${t(l, 'mail_unsubscribe')} ${unsubscribe}`,
      ],
    });
    return toOutcome(
      await sendersFor(row).email.send({
        ...message,
        // RFC 8058 one-click unsubscribe: mail clients POST to this address.
        headers: {
          'List-Unsubscribe': `<${unsubscribe}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
      }),
      row,
    );
  }

  function toOutcome(
    result: { ok: true; providerId: string } | { ok: false; permanent: boolean; reason: string },
    row: ClaimedRow,
  ): Outcome {
    if (result.ok) return { state: 'sent', outcome: 'sent' };
    if (result.permanent || row.attempts >= MAX_ATTEMPTS) return { state: 'failed', outcome: result.reason };
    return { state: 'retry', outcome: result.reason };
  }

  async function settle(row: ClaimedRow, outcome: Outcome): Promise<void> {
    if (outcome.state === 'retry') {
      await deps.db
        .updateTable('notice_messages')
        .set({
          lease_until: null,
          outcome: outcome.outcome.slice(0, 200),
          next_attempt_at: sql<Date>`now() + make_interval(secs => ${30 * row.attempts ** 2})`,
        })
        .where('id', '=', row.id)
        .where('state', '=', 'pending')
        .execute();
      return;
    }
    await deps.db
      .updateTable('notice_messages')
      .set({
        state: outcome.state,
        outcome: outcome.outcome.slice(0, 200),
        settled_at: new Date(),
        lease_until: null,
        payload: null,
        sent_via: outcome.state === 'sent' ? (sentVia.get(row) ?? null) : null,
      })
      .where('id', '=', row.id)
      .where('state', '=', 'pending')
      .execute();
  }

  async function runOnce(limit = 50): Promise<number> {
    const rows = await claim(limit);
    for (const row of rows) {
      let outcome: Outcome;
      try {
        outcome = await process(row);
      } catch (error) {
        deps.logger.warn(
          { err: error, messageId: row.id, kind: row.kind },
          'site message failed; will retry',
        );
        outcome =
          row.attempts >= MAX_ATTEMPTS
            ? { state: 'failed', outcome: 'could not be processed' }
            : { state: 'retry', outcome: 'could not be processed' };
      }
      await settle(row, outcome);
    }
    return rows.length;
  }

  /** Sends everything due now (tests, and the loop below). */
  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await runOnce();
      total += n;
      if (n === 0) {
        await deps.counters.flush();
        return total;
      }
    }
  }

  return {
    runOnce,
    drain,
    /** Soon after a request enqueued something, without making the request wait for it. */
    kick() {
      if (kicked || running) return;
      kicked = setImmediate(() => {
        kicked = null;
        running = drain()
          .catch((error: unknown) => {
            deps.logger.warn({ err: error }, 'sending site messages failed');
            return 0;
          })
          .finally(() => {
            running = null;
          });
      });
    },
    /** Until aborted: sends what is due, every second (messages enqueued by other processes, retries). */
    async run(signal: AbortSignal): Promise<void> {
      while (!signal.aborted) {
        try {
          await drain();
        } catch (error) {
          deps.logger.warn({ err: error }, 'sending site messages failed; retrying');
        }
        // timers/promises removes its abort listener when the second passes (a listener added per second and
        // never removed grew without bound: MaxListenersExceededWarning within seconds of `npm start`).
        await sleep(1_000, undefined, { signal }).catch(() => undefined);
      }
    },
    async idle(): Promise<void> {
      if (kicked) await new Promise((resolve) => setImmediate(resolve));
      await running;
    },
  };
}
export type SiteMessenger = ReturnType<typeof createSiteMessenger>;
