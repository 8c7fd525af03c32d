import { sql } from 'kysely';
import { DateTime } from 'luxon';
import { type InboxSettings, inboxSettings } from '../../../shared/contracts/inbox.ts';
import type { Db, Executor } from '../../db/database.ts';
import { hashedAdvisoryKey } from '../../platform/advisory-locks.ts';
import { recordAudit, systemActor } from '../../platform/audit/audit-log.ts';
import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import type { Logger } from '../../platform/logging/logger.ts';
import { readSetting } from '../../platform/settings/settings.ts';
import {
  blindLookup,
  findPersonAnywhere,
  findPersonPn,
  jurisdictionOf,
  normalizeEmail,
  normalizePhone,
} from '../people/index.ts';
import { classify, type Rule } from './classify.ts';
import { searchTerms } from './search.ts';

/**
 * Every inbound message, whatever the channel, enters here: the sender normalized and blind-indexed (the
 * same index the people have, so the thread links to the affected person without decrypting anyone), a
 * provider's retry stored once, topics, sentiment and priority from the rules, threading by sender and
 * channel, the first-response SLA, a data-subject request flagged with its legal deadline, and a one-time
 * code sent back by the requester closing their verification.
 */
export const MESSAGE_CONTEXT = 'inbox_messages.sealed';
export const SENDER_CONTEXT = 'inbox_threads.sender';
export const SUBJECT_CONTEXT = 'inbox_threads.subject';
export const ATTACHMENT_CONTEXT = 'inbox_attachments.data';
export const FILENAME_CONTEXT = 'inbox_attachments.filename';
export const MAX_VERIFY_ATTEMPTS = 5;

export const INBOX_SETTINGS_KEY = 'inbox_settings';
export const defaultInboxSettings: InboxSettings = { slaHours: { web: 24, email: 24, sms: 8 } };

export function readInboxSettings(db: Executor): Promise<InboxSettings> {
  return readSetting(db, INBOX_SETTINGS_KEY, inboxSettings, defaultInboxSettings);
}

export interface InboundAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface InboundMessage {
  channel: 'web' | 'email' | 'sms';
  /** The sender's email address (web, email) or phone number (sms), as received. */
  from: string;
  name?: string | null | undefined;
  subject?: string | null | undefined;
  body: string;
  /** The provider's id for this message: a retried delivery of the same id is stored once. */
  providerMessageId?: string | null | undefined;
  /** Web: the incident whose notice page the form was on. */
  incidentId?: string | null | undefined;
  locale?: string | undefined;
  attachments?: InboundAttachment[] | undefined;
}

export type IngestResult =
  | { outcome: 'stored'; threadId: string; messageId: string; newThread: boolean; verified: boolean }
  | { outcome: 'duplicate' }
  | { outcome: 'rejected'; reason: string };

interface Deps {
  db: Db;
  crypto: PiiCrypto;
  logger: Logger;
}

let rulesCache: { at: number; rules: Rule[] } | null = null;
export function forgetRules(): void {
  rulesCache = null;
}
async function enabledRules(db: Executor): Promise<Rule[]> {
  if (rulesCache && Date.now() - rulesCache.at < 5_000) return rulesCache.rules;
  const rows = await db
    .selectFrom('inbox_rules')
    .select(['topic', 'keywords', 'weight', 'dsr_kind'])
    .where('enabled', '=', true)
    .execute();
  const rules = rows.map((r) => ({
    topic: r.topic,
    keywords: r.keywords,
    weight: r.weight,
    dsrKind: r.dsr_kind,
  }));
  rulesCache = { at: Date.now(), rules };
  return rules;
}

const EU_EEA_UK = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO GB'.split(' '),
);

/**
 * When a data-subject request must be answered: one month under GDPR and UK GDPR (Art. 12(3)), 45 days
 * under the CCPA (Cal. Civ. Code 1798.130), 30 days elsewhere as a policy default.
 */
export function dsrDeadline(received: Date, jurisdiction: string | null): Date {
  const country = (jurisdiction ?? '').split('-')[0] ?? '';
  const at = DateTime.fromJSDate(received, { zone: 'utc' });
  if (EU_EEA_UK.has(country)) return at.plus({ months: 1 }).toJSDate();
  if (jurisdiction === 'US-CA') return at.plus({ days: 45 }).toJSDate();
  return at.plus({ days: 30 }).toJSDate();
}

/** Keyed (the blind-index key), so a copy of the database alone cannot try the million codes. */
export function verificationHash(
  crypto: Pick<PiiCrypto, 'blindIndex'>,
  threadId: string,
  code: string,
): Buffer {
  return crypto.blindIndex('inbox_verification', `${threadId}:${code}`);
}

export async function ingest(deps: Deps, message: InboundMessage): Promise<IngestResult> {
  const { db, crypto } = deps;
  const isPhone = message.channel === 'sms';
  const sender = isPhone ? normalizePhone(message.from, null) : normalizeEmail(message.from);
  if (!sender) {
    return {
      outcome: 'rejected',
      reason: isPhone ? 'the sender is not a phone number' : 'the sender is not an email address',
    };
  }
  // PostgreSQL text cannot hold NUL: stripped from everything stored as text, so such a message is filed.
  const clean = (value: string) => value.replace(/\0/g, '');
  const body = clean(message.body).slice(0, 100_000);
  const subject = message.subject ? clean(message.subject).slice(0, 500) : null;
  const providerMessageId = message.providerMessageId ? clean(message.providerMessageId).slice(0, 300) : null;
  if (providerMessageId) {
    const seen = await db
      .selectFrom('inbox_messages')
      .select('id')
      .where('provider_message_id', '=', providerMessageId)
      .executeTakeFirst();
    if (seen) return { outcome: 'duplicate' };
  }
  const senderIdx = blindLookup(crypto, { kind: isPhone ? 'phone' : 'email', value: sender })!.index;
  const by = isPhone ? { phone: sender } : { email: sender };
  const person = message.incidentId
    ? await findPersonPn(db, crypto, message.incidentId, by).then((pn) =>
        pn === null ? null : { incidentId: message.incidentId!, pn },
      )
    : await findPersonAnywhere(db, crypto, by);
  const incidentId = person?.incidentId ?? message.incidentId ?? null;
  const jurisdiction = person ? await jurisdictionOf(db, person.incidentId, person.pn) : null;
  const found = classify(`${subject ?? ''}\n${body}`, await enabledRules(db));
  const settings = await readInboxSettings(db);
  const terms = searchTerms(crypto, `${subject ?? ''} ${message.name ?? ''} ${body}`);
  const now = new Date();

  try {
    return await db.transaction().execute(async (tx) => {
      // Serializes messages of one sender and channel: two arriving at once must not open two threads.
      await sql`SELECT pg_advisory_xact_lock(${hashedAdvisoryKey('inboxSender', `${message.channel}:${senderIdx.toString('hex')}`)})`.execute(
        tx,
      );
      const open = await tx
        .selectFrom('inbox_threads')
        .select(['id', 'dsr_kind', 'dsr_completed_at'])
        .where('sender_idx', '=', senderIdx)
        .where('channel', '=', message.channel)
        .where('status', '<>', 'solved')
        // Web threads belong to the notice page they came from; email and SMS follow the sender.
        .$if(message.channel === 'web' && incidentId !== null, (q) =>
          q.where('incident_id', '=', incidentId!),
        )
        .orderBy('last_message_at', 'desc')
        .limit(1)
        .forUpdate()
        .executeTakeFirst();
      let threadId: string;
      if (open) {
        threadId = open.id;
        await tx
          .updateTable('inbox_threads')
          .set({
            last_message_at: now,
            status: 'open',
            messages: sql<number>`messages + 1`,
            topics: sql<string[]>`ARRAY(SELECT DISTINCT unnest(topics || ${found.topics}::text[]))`,
            priority: sql<number>`greatest(priority, ${found.priority})`,
            sentiment: found.sentiment,
            search_terms: sql<
              string[]
            >`ARRAY(SELECT DISTINCT unnest(search_terms || ${terms}::text[]) LIMIT 2000)`,
            // A new request (none yet, or the last one completed) starts its own legal deadline.
            ...(found.dsrKind && (!open.dsr_kind || open.dsr_completed_at)
              ? {
                  dsr_kind: found.dsrKind,
                  dsr_due_at: dsrDeadline(now, jurisdiction),
                  dsr_completed_at: null,
                }
              : {}),
            ...(person ? { pn: person.pn, incident_id: person.incidentId } : {}),
          })
          .where('id', '=', threadId)
          .execute();
      } else {
        const row = await tx
          .insertInto('inbox_threads')
          .values({
            incident_id: incidentId,
            channel: message.channel,
            sender_idx: senderIdx,
            sender_sealed: crypto.encrypt(sender, SENDER_CONTEXT),
            subject_sealed: subject ? crypto.encrypt(subject, SUBJECT_CONTEXT) : null,
            pn: person?.pn ?? null,
            locale: message.locale === 'es' ? 'es' : 'en',
            topics: found.topics,
            sentiment: found.sentiment,
            priority: found.priority,
            sla_due_at: new Date(now.getTime() + settings.slaHours[message.channel] * 3_600_000),
            dsr_kind: found.dsrKind,
            dsr_due_at: found.dsrKind ? dsrDeadline(now, jurisdiction) : null,
            search_terms: terms,
            messages: 1,
            last_message_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        threadId = row.id;
      }
      const inserted = await tx
        .insertInto('inbox_messages')
        .values({
          thread_id: threadId,
          direction: 'in',
          sealed: crypto.encrypt(
            JSON.stringify({ name: message.name ?? null, subject, body }),
            MESSAGE_CONTEXT,
          ),
          provider_message_id: providerMessageId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const file of message.attachments ?? []) {
        await tx
          .insertInto('inbox_attachments')
          .values({
            message_id: inserted.id,
            filename_sealed: crypto.encrypt(
              clean(file.filename).slice(0, 255) || 'attachment',
              FILENAME_CONTEXT,
            ),
            content_type: clean(file.contentType).slice(0, 200) || 'application/octet-stream',
            size: file.content.length,
            data_sealed: crypto.encryptBytes(file.content, ATTACHMENT_CONTEXT),
          })
          .execute();
      }
      const verified = await closeVerification(tx, crypto, threadId, body, now);
      return { outcome: 'stored' as const, threadId, messageId: inserted.id, newThread: !open, verified };
    });
  } catch (error) {
    // Two deliveries of the same provider message racing: the unique index keeps one.
    if ((error as { code?: string }).code === '23505' && message.providerMessageId)
      return { outcome: 'duplicate' };
    throw error;
  }
}

/** A pending one-time code quoted back in the requester's message verifies the thread. */
async function closeVerification(
  tx: Executor,
  crypto: Pick<PiiCrypto, 'blindIndex'>,
  threadId: string,
  body: string,
  now: Date,
): Promise<boolean> {
  const pending = await tx
    .selectFrom('inbox_verifications')
    .select(['code_hash', 'expires_at', 'attempts'])
    .where('thread_id', '=', threadId)
    .where('verified_at', 'is', null)
    .executeTakeFirst();
  if (!pending || new Date(pending.expires_at) < now || pending.attempts >= MAX_VERIFY_ATTEMPTS) return false;
  // Only the first few six-digit numbers of a message count, and a message quoting none of the code is one
  // failed attempt: a reply full of guesses cannot brute-force the code.
  const candidates = [
    ...new Set(body.match(/(?<!\d)\d{3}[\s-]?\d{3}(?!\d)/g)?.map((c) => c.replace(/\D/g, '')) ?? []),
  ];
  if (candidates.length === 0) return false;
  for (const code of candidates.slice(0, 3)) {
    if (verificationHash(crypto, threadId, code).equals(pending.code_hash)) {
      await tx
        .updateTable('inbox_verifications')
        .set({ verified_at: now })
        .where('thread_id', '=', threadId)
        .execute();
      await tx.updateTable('inbox_threads').set({ verified_at: now }).where('id', '=', threadId).execute();
      await recordAudit(tx, {
        actor: systemActor,
        action: 'inbox.verified',
        target: { type: 'inbox_thread', id: threadId },
        details: { by: 'code quoted in a reply' },
      });
      return true;
    }
  }
  await tx
    .updateTable('inbox_verifications')
    .set({ attempts: sql<number>`attempts + 1` })
    .where('thread_id', '=', threadId)
    .execute();
  return false;
}
