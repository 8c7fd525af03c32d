import type { Executor } from '../../db/database.ts';
import type { VersionRow } from './versions.repository.ts';

/**
 * SQL of the updates published under a notice (`notice_updates`). Status moves are guarded in SQL; the
 * guarded writes say whether they matched. The connection or transaction is the first argument.
 */
export type UpdateRow = Omit<VersionRow, 'number' | 'status'> & {
  status: 'draft' | 'approved' | 'published';
};

const updateColumns = [
  'id',
  'status',
  'content',
  'author',
  'author_id',
  'approved_by',
  'approved_at',
  'published_by',
  'published_at',
  'created_at',
  'updated_at',
] as const;

/** Newest first. */
export async function listUpdates(db: Executor, incidentId: string): Promise<UpdateRow[]> {
  return (await db
    .selectFrom('notice_updates')
    .select(updateColumns)
    .where('incident_id', '=', incidentId)
    .orderBy('created_at', 'desc')
    .execute()) as UpdateRow[];
}

export async function findUpdate(
  db: Executor,
  incidentId: string,
  updateId: string,
): Promise<UpdateRow | undefined> {
  return (await db
    .selectFrom('notice_updates')
    .select(updateColumns)
    .where('incident_id', '=', incidentId)
    .where('id', '=', updateId)
    .executeTakeFirst()) as UpdateRow | undefined;
}

export async function insertUpdate(
  db: Executor,
  update: { incidentId: string; content: string; author: string; authorId: string | null },
): Promise<string> {
  const row = await db
    .insertInto('notice_updates')
    .values({
      incident_id: update.incidentId,
      content: update.content,
      author: update.author,
      author_id: update.authorId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** New texts for an unpublished update: a draft again, its approval cleared. False when none matched. */
export async function rewriteUpdate(
  db: Executor,
  incidentId: string,
  updateId: string,
  edit: { content: string; author: string; authorId: string | null },
): Promise<boolean> {
  const result = await db
    .updateTable('notice_updates')
    .set({
      content: edit.content,
      status: 'draft',
      approved_at: null,
      approved_by: null,
      approved_by_id: null,
      author: edit.author,
      author_id: edit.authorId,
      updated_at: new Date(),
    })
    .where('incident_id', '=', incidentId)
    .where('id', '=', updateId)
    .where('status', 'in', ['draft', 'approved'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The update's state and author, locked until the transaction ends (approval). */
export function lockUpdate(db: Executor, incidentId: string, updateId: string) {
  return db
    .selectFrom('notice_updates')
    .select(['status', 'author_id'])
    .where('incident_id', '=', incidentId)
    .where('id', '=', updateId)
    .forUpdate()
    .executeTakeFirst();
}

/** draft → approved. */
export async function markUpdateApproved(
  db: Executor,
  updateId: string,
  approver: { label: string; id: string | null },
): Promise<void> {
  await db
    .updateTable('notice_updates')
    .set({
      status: 'approved',
      approved_by: approver.label,
      approved_by_id: approver.id,
      approved_at: new Date(),
    })
    .where('id', '=', updateId)
    .where('status', '=', 'draft')
    .execute();
}

/** approved → published. False when the update is not approved (or not this incident's). */
export async function markUpdatePublished(
  db: Executor,
  incidentId: string,
  updateId: string,
  publisher: string,
): Promise<boolean> {
  const result = await db
    .updateTable('notice_updates')
    .set({ status: 'published', published_by: publisher, published_at: new Date(), updated_at: new Date() })
    .where('incident_id', '=', incidentId)
    .where('id', '=', updateId)
    .where('status', '=', 'approved')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
