import { randomInt } from 'node:crypto';
import type { ThreadDetail } from '../../../shared/contracts/inbox.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError } from '../../platform/errors.ts';
import { readBranding } from '../../platform/settings/branding.ts';
import { maskEmail, maskPhone } from '../campaigns/index.ts';
import { enqueuePrepared } from '../outbound/index.ts';
import { contactsFor } from '../people/index.ts';
import type { Deps, Meta } from './inbox.deps.ts';
import { MAX_VERIFY_ATTEMPTS, MESSAGE_CONTEXT, verificationHash } from './ingest.ts';
import { insertNote } from './messages.repository.ts';
import { getThread } from './thread-read.service.ts';
import { threadFound } from './thread-view.ts';
import { lockThread, markThreadVerified } from './threads.repository.ts';
import {
  findVerification,
  markCodeVerified,
  recordWrongCode,
  replaceVerification,
} from './verifications.repository.ts';

/**
 * Proving who the requester is before anything about them is disclosed: a one-time code sent to the contact
 * point on file (never to an address typed in a message), given back to the agent (or quoted in a reply,
 * which ingest.ts checks). Five wrong tries lock the code; it expires after 30 minutes.
 */
const VERIFY_TTL_MS = 30 * 60_000;

/**
 * Sends a one-time code to the contact point on file for the linked person: the same kind of channel as the
 * thread when the person has one, else the other.
 */
export async function startVerification(deps: Deps, id: string, meta: Meta): Promise<ThreadDetail> {
  await deps.db.transaction().execute(async (tx) => {
    const row = threadFound(await lockThread(tx, id));
    if (row.pn === null || !row.incident_id) {
      throw new AppError(
        'conflict',
        'This sender matches no affected person, so there is nothing on file to send a code to.',
      );
    }
    if (row.verified_at) throw new AppError('conflict', 'This requester is already verified.');
    const contact = (await contactsFor(tx, deps.crypto, row.incident_id, [row.pn])).get(row.pn);
    const wantsPhone = row.channel === 'sms';
    const onFile =
      (wantsPhone ? contact?.phone : contact?.email) ??
      (wantsPhone ? contact?.email : contact?.phone) ??
      null;
    if (!contact || !onFile) {
      throw new AppError(
        'conflict',
        'The affected records hold no email address or phone number for this person.',
      );
    }
    const channel = onFile === contact.email ? ('email' as const) : ('sms' as const);
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    await replaceVerification(tx, {
      threadId: id,
      codeHash: verificationHash(deps.crypto, id, code),
      channel,
      expiresAt: new Date(Date.now() + VERIFY_TTL_MS),
    });
    const branding = await readBranding(tx);
    const es = row.locale === 'es';
    const text = es
      ? `${branding.companyName}: tu código de verificación es ${code}. Dáselo a quien te atiende (responde a nuestro mensaje). Caduca en 30 minutos. Si no lo has pedido, ignora este mensaje.`
      : `${branding.companyName}: your verification code is ${code}. Give it to the person helping you (reply to our message). It expires in 30 minutes. If you did not ask for it, ignore this message.`;
    // The note first, so the queued code links to it and the thread can show where the code went.
    const noteId = await insertNote(tx, {
      threadId: id,
      sealed: deps.crypto.encrypt(
        JSON.stringify({
          body: `Verification code sent to the ${channel === 'email' ? 'email address' : 'phone number'} on file (${
            channel === 'email' ? maskEmail(onFile) : maskPhone(onFile)
          }); it expires in 30 minutes.`,
        }),
        MESSAGE_CONTEXT,
      ),
      authorId: null,
      author: 'candor',
    });
    await enqueuePrepared(
      tx,
      deps.crypto,
      row.incident_id,
      {
        kind: 'inbox_verification',
        channel,
        to: onFile,
        subject: channel === 'email' ? (es ? 'Tu código de verificación' : 'Your verification code') : null,
        text,
        locale: es ? 'es' : 'en',
      },
      { inboxMessageId: String(noteId) },
    );
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'inbox.verification_sent',
      requestId: meta.requestId,
      target: { type: 'inbox_thread', id },
      details: { channel },
    });
  });
  deps.kick();
  return getThread(deps, id, meta);
}

/** The code the requester gave back, typed by the agent. */
export async function confirmVerification(
  deps: Deps,
  id: string,
  code: string,
  meta: Meta,
): Promise<ThreadDetail> {
  const typed = code.replace(/\D/g, '');
  const outcome = await deps.db.transaction().execute(async (tx) => {
    threadFound(await lockThread(tx, id));
    const v = await findVerification(tx, id);
    if (!v) return { error: new AppError('conflict', 'Send a verification code first.') };
    if (v.verified_at) return { ok: true };
    if (v.attempts >= MAX_VERIFY_ATTEMPTS) {
      return { error: new AppError('rate_limited', 'Too many wrong codes: send a new code.') };
    }
    if (new Date(v.expires_at) < new Date()) {
      return { error: new AppError('link_invalid', 'The code has expired: send a new one.') };
    }
    const right = typed.length === 6 && verificationHash(deps.crypto, id, typed).equals(v.code_hash);
    if (!right) {
      await recordWrongCode(tx, id, v.attempts + 1);
      await recordAudit(tx, {
        actor: meta.actor,
        action: 'inbox.verification_failed',
        outcome: 'denied',
        requestId: meta.requestId,
        target: { type: 'inbox_thread', id },
      });
      const left = MAX_VERIFY_ATTEMPTS - v.attempts - 1;
      return {
        error: new AppError(
          'bad_request',
          left > 0
            ? `That is not the code we sent; ${left} ${left === 1 ? 'try' : 'tries'} left.`
            : 'That is not the code we sent, and no tries are left: send a new code.',
        ),
      };
    }
    const now = new Date();
    await markCodeVerified(tx, id, now);
    await markThreadVerified(tx, id, now);
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'inbox.verified',
      requestId: meta.requestId,
      target: { type: 'inbox_thread', id },
    });
    return { ok: true };
  });
  // A wrong try is recorded (committed) before the refusal is thrown.
  if ('error' in outcome && outcome.error) throw outcome.error;
  return getThread(deps, id, meta);
}
