import type { ThreadSla, ThreadSummary } from '../../../shared/contracts/inbox.ts';
import type { Executor } from '../../db/database.ts';
import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { staffNames } from '../auth/index.ts';
import { maskEmail, maskPhone } from '../campaigns/index.ts';
import { incidentTitles } from '../incidents/index.ts';
import { SENDER_CONTEXT, SUBJECT_CONTEXT } from './ingest.ts';
import { DUE_SOON_MS, type ThreadKey, type ThreadRecord } from './threads.repository.ts';

/**
 * A thread as the console shows it: the sender masked, the subject decrypted, the SLA's state, the
 * incident's title and the assignee's name (read through the incidents and auth doors).
 */
export type ThreadView = ThreadRecord & { incident_title: string | null; assignee_name: string | null };

export const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/** The thread, or "not found" (a thread the caller may not see reads the same). */
export function threadFound<T>(row: T | undefined): T {
  if (!row) throw notFound('The thread');
  return row;
}

/** Names the incident and the assignee of each thread: one read per door for a whole page. */
export async function withNames(db: Executor, rows: ThreadRecord[]): Promise<ThreadView[]> {
  const [titles, names] = await Promise.all([
    incidentTitles(
      db,
      rows.flatMap((r) => (r.incident_id ? [r.incident_id] : [])),
    ),
    staffNames(
      db,
      rows.map((r) => r.assignee_id),
    ),
  ]);
  return rows.map((r) => ({
    ...r,
    incident_title: (r.incident_id && titles.get(r.incident_id)) ?? null,
    assignee_name: (r.assignee_id && names.get(r.assignee_id)) ?? null,
  }));
}

function maskSender(channel: string, sender: string): string {
  return channel === 'sms' ? maskPhone(sender) : maskEmail(sender);
}

function slaOf(row: ThreadRecord, now = Date.now()): ThreadSla {
  if (row.first_response_at) return { dueAt: iso(row.sla_due_at), state: 'met' };
  if (!row.sla_due_at || row.status === 'solved') return { dueAt: iso(row.sla_due_at), state: 'none' };
  const due = new Date(row.sla_due_at).getTime();
  return {
    dueAt: iso(row.sla_due_at),
    state: due < now ? 'breached' : due - now < DUE_SOON_MS ? 'due_soon' : 'ok',
  };
}

export async function summaryOf(
  crypto: Pick<PiiCrypto, 'decrypt'>,
  row: ThreadView,
  preview: string,
): Promise<ThreadSummary> {
  const sender = await crypto.decrypt(row.sender_sealed, SENDER_CONTEXT);
  return {
    id: row.id,
    channel: row.channel,
    status: row.status,
    topics: row.topics,
    priority: row.priority,
    sentiment: row.sentiment,
    personLinked: row.pn !== null,
    incidentId: row.incident_id,
    incidentTitle: row.incident_title,
    verified: row.verified_at !== null,
    assignee: row.assignee_id ? { id: row.assignee_id, name: row.assignee_name ?? '' } : null,
    sender: maskSender(row.channel, sender),
    subject: row.subject_sealed ? await crypto.decrypt(row.subject_sealed, SUBJECT_CONTEXT) : null,
    preview,
    messages: row.messages,
    createdAt: iso(row.created_at)!,
    lastMessageAt: iso(row.last_message_at)!,
    firstResponseAt: iso(row.first_response_at),
    sla: slaOf(row),
    dsr:
      row.dsr_kind && row.dsr_due_at
        ? { kind: row.dsr_kind, dueAt: iso(row.dsr_due_at)!, completedAt: iso(row.dsr_completed_at) }
        : null,
    satisfaction: row.satisfaction,
  };
}

/** The list's page cursor: where the next page starts, opaque to the console. */
export function encodeCursor(row: ThreadRecord): string {
  return Buffer.from(`${row.priority}|${new Date(row.last_message_at).toISOString()}|${row.id}`).toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string): ThreadKey {
  const [priority, at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!priority || !at || !id || Number.isNaN(Date.parse(at))) {
    throw new AppError(
      'bad_request',
      'The page cursor is not one this list gave out; start from the first page.',
    );
  }
  return { priority: Number(priority), lastMessageAt: at, id };
}
