import type { ThreadDetail, ThreadStatus } from '../../../shared/contracts/inbox.ts';
import type { Executor } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError } from '../../platform/errors.ts';
import { readBranding } from '../../platform/settings/branding.ts';
import { enqueuePrepared } from '../outbound/index.ts';
import { actorUserId, type Deps, type Meta } from './inbox.deps.ts';
import { MESSAGE_CONTEXT, SENDER_CONTEXT, SUBJECT_CONTEXT } from './ingest.ts';
import { insertNote, insertReply } from './messages.repository.ts';
import { satisfactionToken } from './satisfaction.ts';
import { getThread } from './thread-read.service.ts';
import { threadFound } from './thread-view.ts';
import { findThread, lockThread, markAnswered, type ThreadRecord } from './threads.repository.ts';

/**
 * Answers and notes. A reply is a prepared message on the outbound queue (`inbox_message_id` links it to
 * its delivery state), so it shares the senders, retries, throttles and outbox; solving a thread asks the requester
 * how we did. Each change is audited in its transaction.
 */

/** Where a reply goes: the thread's own address, on its channel (web threads are answered by email). */
async function destination(deps: Pick<Deps, 'crypto'>, row: ThreadRecord) {
  const to = await deps.crypto.decrypt(row.sender_sealed, SENDER_CONTEXT);
  return { to, channel: row.channel === 'sms' ? ('sms' as const) : ('email' as const) };
}

/** Records a reply and queues it; with a bulk id, a thread this bulk already answered gets nothing (null). */
export async function sendReply(
  deps: Deps,
  tx: Executor,
  row: ThreadRecord,
  reply: { subject?: string | null | undefined; body: string; bulkId?: string },
  meta: Meta,
): Promise<string | null> {
  const { to, channel } = await destination(deps, row);
  const threadSubject = row.subject_sealed
    ? await deps.crypto.decrypt(row.subject_sealed, SUBJECT_CONTEXT)
    : null;
  const subject =
    channel === 'email'
      ? reply.subject?.trim() ||
        (threadSubject
          ? `Re: ${threadSubject.replace(/^re:\s*/i, '')}`
          : `Re: your message to ${(await readBranding(tx)).companyName}`)
      : null;
  const messageId = await insertReply(tx, {
    threadId: row.id,
    sealed: deps.crypto.encrypt(JSON.stringify({ subject, body: reply.body }), MESSAGE_CONTEXT),
    authorId: actorUserId(meta),
    author: meta.actor.label,
    bulkId: reply.bulkId ?? null,
  });
  if (!messageId) return null;
  await enqueuePrepared(
    tx,
    deps.crypto,
    row.incident_id,
    {
      kind: 'inbox_reply',
      channel,
      to,
      subject,
      text: reply.body,
      locale: row.locale === 'es' ? 'es' : 'en',
    },
    { inboxMessageId: messageId },
  );
  return messageId;
}

export async function reply(
  deps: Deps,
  id: string,
  input: { body: string; subject?: string | null | undefined; status?: ThreadStatus | undefined },
  meta: Meta,
): Promise<ThreadDetail> {
  const body = input.body.trim();
  if (!body) throw new AppError('bad_request', 'Write a reply before sending it.');
  await deps.db.transaction().execute(async (tx) => {
    const row = threadFound(await lockThread(tx, id));
    await sendReply(deps, tx, row, { subject: input.subject, body }, meta);
    const status = input.status ?? (row.status === 'solved' ? 'solved' : 'pending');
    await markAnswered(tx, [id], status);
    if (status === 'solved' && row.status !== 'solved') await askSatisfaction(deps, tx, row);
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'inbox.replied',
      requestId: meta.requestId,
      target: { type: 'inbox_thread', id },
      details: { channel: row.channel, status },
    });
  });
  deps.kick();
  return getThread(deps, id, meta);
}

export async function addNote(deps: Deps, id: string, body: string, meta: Meta): Promise<ThreadDetail> {
  if (!body.trim()) throw new AppError('bad_request', 'Write the note before adding it.');
  await deps.db.transaction().execute(async (tx) => {
    threadFound(await findThread(tx, id));
    await insertNote(tx, {
      threadId: id,
      sealed: deps.crypto.encrypt(JSON.stringify({ body: body.trim() }), MESSAGE_CONTEXT),
      authorId: actorUserId(meta),
      author: meta.actor.label,
    });
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'inbox.note_added',
      requestId: meta.requestId,
      target: { type: 'inbox_thread', id },
    });
  });
  return getThread(deps, id, meta);
}

/** The one-click satisfaction question, sent when a thread is solved. */
export async function askSatisfaction(deps: Deps, tx: Executor, row: ThreadRecord): Promise<void> {
  const { to, channel } = await destination(deps, row);
  const url = `${deps.config.noticeUrl}/n/_rate/${satisfactionToken(deps.crypto, row.id)}`;
  const es = row.locale === 'es';
  const text = es
    ? `¿Cómo valoras nuestra respuesta? Elige de 1 a 5 con un clic: ${url}`
    : `How did we do? Rate our answer from 1 to 5 with one click: ${url}`;
  await enqueuePrepared(tx, deps.crypto, row.incident_id, {
    kind: 'inbox_csat',
    channel,
    to,
    subject: channel === 'email' ? (es ? '¿Te ayudamos?' : 'Did we help?') : null,
    text,
    locale: es ? 'es' : 'en',
  });
}
