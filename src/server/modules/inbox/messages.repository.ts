import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';

/** SQL on `inbox_messages` and `inbox_attachments`: a thread's messages, notes and files, all sealed. */

/** The latest inbound message of each thread (sealed), for the list's previews. */
export async function latestInboundMessages(
  db: Executor,
  threadIds: readonly string[],
): Promise<Array<{ thread_id: string; sealed: Buffer }>> {
  if (threadIds.length === 0) return [];
  const latest = await sql<{ thread_id: string; sealed: Buffer }>`
    SELECT DISTINCT ON (thread_id) thread_id, sealed FROM inbox_messages
    WHERE thread_id = ANY(${threadIds}::uuid[]) AND direction = 'in' AND kind = 'message'
    ORDER BY thread_id, id DESC`.execute(db);
  return latest.rows;
}

/** A thread's messages and notes, oldest first. */
export function threadMessages(db: Executor, threadId: string) {
  return db
    .selectFrom('inbox_messages')
    .select(['id', 'direction', 'kind', 'author', 'author_id', 'sealed', 'created_at'])
    .where('thread_id', '=', threadId)
    .orderBy('id')
    .execute();
}

/** The attachments of these messages (file names sealed; the files themselves are not read). */
export async function attachmentsOf(db: Executor, messageIds: readonly string[]) {
  if (messageIds.length === 0) return [];
  return db
    .selectFrom('inbox_attachments')
    .select(['id', 'message_id', 'filename_sealed', 'content_type', 'size'])
    .where('message_id', 'in', messageIds as string[])
    .orderBy('id')
    .execute();
}

/** One attachment with its file, only if it belongs to this thread. */
export function findAttachment(db: Executor, threadId: string, attachmentId: string) {
  return db
    .selectFrom('inbox_attachments as a')
    .innerJoin('inbox_messages as m', 'm.id', 'a.message_id')
    .select(['a.filename_sealed', 'a.data_sealed', 'a.size'])
    .where('a.id', '=', attachmentId)
    .where('m.thread_id', '=', threadId)
    .executeTakeFirst();
}

export interface OutgoingMessage {
  threadId: string;
  sealed: Buffer;
  authorId: string | null;
  author: string | null;
  bulkId: string | null;
}

/**
 * A reply, recorded once per bulk answer: `(thread_id, bulk_id)` is unique, so a repeated bulk id adds
 * nothing and gives back no id.
 */
export async function insertReply(tx: Executor, message: OutgoingMessage): Promise<string | null> {
  const inserted = await tx
    .insertInto('inbox_messages')
    .values({
      thread_id: message.threadId,
      direction: 'out',
      sealed: message.sealed,
      author_id: message.authorId,
      author: message.author,
      bulk_id: message.bulkId,
    })
    .onConflict((oc) => oc.columns(['thread_id', 'bulk_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id ?? null;
}

/** A note for the agents (never sent): by an agent, or by Candor itself (`author: 'candor'`, no id). */
export async function insertNote(tx: Executor, note: Omit<OutgoingMessage, 'bulkId'>): Promise<string> {
  const inserted = await tx
    .insertInto('inbox_messages')
    .values({
      thread_id: note.threadId,
      direction: 'out',
      kind: 'note',
      sealed: note.sealed,
      author_id: note.authorId,
      author: note.author,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}
