import type { ThreadDetail, ThreadMessage, ThreadPerson } from '../../../shared/contracts/inbox.ts';
import { categoriesOf } from '../../../shared/taxonomy.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { notFound } from '../../platform/errors.ts';
import { companyNameUnsetWarning, readBranding } from '../../platform/settings/branding.ts';
import { staffNames } from '../auth/index.ts';
import { assignedActivationCode, categoryPhrase, maskEmail, maskPhone } from '../campaigns/index.ts';
import { siteDispatches } from '../outbound/index.ts';
import { contactsFor } from '../people/index.ts';
import type { Deps, Meta } from './inbox.deps.ts';
import { ATTACHMENT_CONTEXT, FILENAME_CONTEXT, MAX_VERIFY_ATTEMPTS, MESSAGE_CONTEXT } from './ingest.ts';
import { attachmentsOf, findAttachment, threadMessages } from './messages.repository.ts';
import { iso, summaryOf, type ThreadView, threadFound, withNames } from './thread-view.ts';
import { findThread } from './threads.repository.ts';
import { findVerification } from './verifications.repository.ts';

/**
 * Reading a thread: its messages and notes (decrypted), where each reply went, and the person behind it:
 * "affected in X" until the requester is verified, what leaked once they are. Every read is audited.
 */

/** What the agent may know about the person: nothing but "affected in X" until verified. */
async function personOf(deps: Deps, row: ThreadView, mayDisclose: boolean): Promise<ThreadPerson> {
  if (row.pn === null || !row.incident_id) return { linked: false };
  const base = {
    linked: true as const,
    incidentId: row.incident_id,
    incidentTitle: row.incident_title ?? '',
  };
  if (!row.verified_at || !mayDisclose) {
    const v = await findVerification(deps.db, row.id);
    const now = Date.now();
    const state = !v
      ? ('none' as const)
      : v.attempts >= MAX_VERIFY_ATTEMPTS
        ? ('locked' as const)
        : new Date(v.expires_at).getTime() < now
          ? ('expired' as const)
          : ('sent' as const);
    return {
      ...base,
      verified: false,
      verification: {
        state,
        channel: v?.channel ?? null,
        sentAt: iso(v?.sent_at ?? null),
        expiresAt: iso(v?.expires_at ?? null),
        attemptsLeft: Math.max(0, MAX_VERIFY_ATTEMPTS - (v?.attempts ?? 0)),
      },
    };
  }
  const [contacts, activationCode] = await Promise.all([
    contactsFor(deps.db, deps.crypto, row.incident_id, [row.pn]),
    assignedActivationCode(deps.db, deps.crypto, row.incident_id, row.pn),
  ]);
  const contact = contacts.get(row.pn);
  const locale = row.locale === 'es' ? 'es' : 'en';
  return {
    ...base,
    verified: true,
    verifiedAt: iso(row.verified_at)!,
    exposure: {
      categories: contact
        ? categoriesOf(contact.categories).map((c) =>
            categoryPhrase(c, locale, contact.jurisdiction || undefined),
          )
        : [],
      identifiers: contact
        ? [
            ...(contact.email ? [maskEmail(contact.email)] : []),
            ...(contact.phone ? [maskPhone(contact.phone)] : []),
          ]
        : [],
      firstName: contact?.firstName ?? null,
      activationCode,
    },
  };
}

/** A thread's messages, decrypted, with their authors by current name and where each reply went. */
async function messagesOf(deps: Deps, threadId: string): Promise<ThreadMessage[]> {
  const messages = await threadMessages(deps.db, threadId);
  const [attachments, authors, dispatches] = await Promise.all([
    attachmentsOf(
      deps.db,
      messages.map((m) => m.id),
    ),
    // Replies and notes name their author as they are now (older rows recorded a role such as "admin").
    staffNames(
      deps.db,
      messages.map((m) => m.author_id),
    ),
    siteDispatches(
      deps.db,
      deps.config.noticeUrl,
      messages.filter((m) => m.direction === 'out').map((m) => String(m.id)),
    ),
  ]);
  return Promise.all(
    messages.map(async (m) => {
      const content = JSON.parse(await deps.crypto.decrypt(m.sealed, MESSAGE_CONTEXT)) as {
        name?: string | null;
        subject?: string | null;
        body: string;
      };
      const files = await Promise.all(
        attachments
          .filter((a) => a.message_id === m.id)
          .map(async (a) => ({
            // bigint ids: the pg driver reads int8 as a number (db/database.ts), whatever schema.ts says.
            id: Number(a.id),
            filename: await deps.crypto.decrypt(a.filename_sealed, FILENAME_CONTEXT),
            contentType: a.content_type,
            size: a.size,
          })),
      );
      // Where a reply or a verification code went (SMTP, SMS provider or the outbox, by id).
      const dispatch = dispatches.get(String(m.id)) ?? null;
      return {
        id: Number(m.id),
        direction: m.direction,
        kind: m.kind,
        author: (m.author_id && authors.get(m.author_id)) || m.author,
        name: content.name ?? null,
        subject: content.subject ?? null,
        body: content.body,
        createdAt: iso(m.created_at)!,
        delivery: m.direction === 'out' && m.kind === 'message' ? (dispatch?.state ?? 'pending') : null,
        dispatch,
        attachments: files,
      };
    }),
  );
}

export async function getThread(
  deps: Deps,
  id: string,
  meta: Meta & { mayDisclose?: boolean },
): Promise<ThreadDetail> {
  const [row] = await withNames(deps.db, [threadFound(await findThread(deps.db, id))]);
  const messages = await messagesOf(deps, id);
  // What leaked is for the agents answering (inbox:reply), not for every role that may read the inbox.
  const person = await personOf(deps, row!, meta.mayDisclose ?? true);
  await deps.db.transaction().execute((tx) =>
    recordAudit(tx, {
      actor: meta.actor,
      action: 'inbox.thread_viewed',
      requestId: meta.requestId,
      target: { type: 'inbox_thread', id },
      details: { messages: messages.length, exposureShown: person.linked && person.verified },
    }),
  );
  const preview =
    messages
      .filter((m) => m.direction === 'in')
      .at(-1)
      ?.body.slice(0, 140) ?? '';
  const summary = await summaryOf(deps.crypto, row!, preview);
  // Replies and verification codes carry the company's name: say so before one goes out without it.
  const warnings = (await readBranding(deps.db)).isCompanyNameSet ? [] : [companyNameUnsetWarning];
  return { ...summary, messages, person, warnings };
}

/** An attachment's file, for download; each download is audited. */
export async function attachment(deps: Deps, threadId: string, attachmentId: string, meta: Meta) {
  const row = await findAttachment(deps.db, threadId, attachmentId);
  if (!row) throw notFound('The attachment');
  const filename = await deps.crypto.decrypt(row.filename_sealed, FILENAME_CONTEXT);
  const data = await deps.crypto.decryptBytes(row.data_sealed, ATTACHMENT_CONTEXT);
  await deps.db.transaction().execute((tx) =>
    recordAudit(tx, {
      actor: meta.actor,
      action: 'inbox.attachment_downloaded',
      requestId: meta.requestId,
      target: { type: 'inbox_thread', id: threadId },
      details: { attachmentId, size: row.size },
    }),
  );
  return { filename, data };
}
