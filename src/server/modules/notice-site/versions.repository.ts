import type { Executor } from '../../db/database.ts';

/**
 * SQL of the notice's versions (`notice_versions`). Status moves are guarded in SQL. The connection or
 * transaction is the first argument of each function.
 */
export type VersionStatus = 'draft' | 'approved' | 'published' | 'superseded';

export interface VersionRow {
  id: string;
  number: number;
  status: VersionStatus;
  content: unknown;
  author: string;
  author_id: string | null;
  approved_by: string | null;
  approved_at: Date | null;
  published_by: string | null;
  published_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const versionColumns = [
  'id',
  'number',
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
export async function listVersions(db: Executor, incidentId: string): Promise<VersionRow[]> {
  return (await db
    .selectFrom('notice_versions')
    .select(versionColumns)
    .where('incident_id', '=', incidentId)
    .orderBy('number', 'desc')
    .execute()) as VersionRow[];
}

export async function findVersion(
  db: Executor,
  incidentId: string,
  versionId: string,
): Promise<VersionRow | undefined> {
  return (await db
    .selectFrom('notice_versions')
    .select(versionColumns)
    .where('incident_id', '=', incidentId)
    .where('id', '=', versionId)
    .executeTakeFirst()) as VersionRow | undefined;
}

/** The version being prepared (a draft, or approved and not yet published), if any. */
export function pendingVersion(db: Executor, incidentId: string) {
  return db
    .selectFrom('notice_versions')
    .select(['id', 'status'])
    .where('incident_id', '=', incidentId)
    .where('status', 'in', ['draft', 'approved'])
    .executeTakeFirst();
}

export async function insertVersion(
  db: Executor,
  version: { incidentId: string; content: string; author: string; authorId: string | null },
): Promise<string> {
  const last = await db
    .selectFrom('notice_versions')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('incident_id', '=', version.incidentId)
    .executeTakeFirst();
  const row = await db
    .insertInto('notice_versions')
    .values({
      incident_id: version.incidentId,
      number: Number(last?.n ?? 0) + 1,
      content: version.content,
      author: version.author,
      author_id: version.authorId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** New texts for the pending version: it is a draft again, its approval cleared, its author the editor. */
export async function rewriteVersion(
  db: Executor,
  versionId: string,
  edit: { content: string; author: string; authorId: string | null },
): Promise<void> {
  await db
    .updateTable('notice_versions')
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
    .where('id', '=', versionId)
    .execute();
}

/** Whether any version was ever published (links to the notice's address are out then). */
export async function wasEverPublished(db: Executor, incidentId: string): Promise<boolean> {
  const row = await db
    .selectFrom('notice_versions')
    .select('id')
    .where('incident_id', '=', incidentId)
    .where('published_at', 'is not', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether a version is published now. */
export async function hasPublishedVersion(db: Executor, incidentId: string): Promise<boolean> {
  const row = await db
    .selectFrom('notice_versions')
    .select('id')
    .where('incident_id', '=', incidentId)
    .where('status', '=', 'published')
    .executeTakeFirst();
  return row !== undefined;
}

/** The version's state and author, locked until the transaction ends (approval). */
export function lockVersion(db: Executor, incidentId: string, versionId: string) {
  return db
    .selectFrom('notice_versions')
    .select(['id', 'status', 'author_id'])
    .where('incident_id', '=', incidentId)
    .where('id', '=', versionId)
    .forUpdate()
    .executeTakeFirst();
}

export function versionState(db: Executor, incidentId: string, versionId: string) {
  return db
    .selectFrom('notice_versions')
    .select(['id', 'status', 'number'])
    .where('incident_id', '=', incidentId)
    .where('id', '=', versionId)
    .executeTakeFirst();
}

/** draft → approved. */
export async function markVersionApproved(
  db: Executor,
  versionId: string,
  approver: { label: string; id: string | null },
): Promise<void> {
  await db
    .updateTable('notice_versions')
    .set({
      status: 'approved',
      approved_by: approver.label,
      approved_by_id: approver.id,
      approved_at: new Date(),
      updated_at: new Date(),
    })
    .where('id', '=', versionId)
    .where('status', '=', 'draft')
    .execute();
}

/** The published version, if any → superseded; then approved → published. */
export async function publishInPlaceOfCurrent(
  db: Executor,
  incidentId: string,
  versionId: string,
  publisher: string,
): Promise<void> {
  await db
    .updateTable('notice_versions')
    .set({ status: 'superseded', updated_at: new Date() })
    .where('incident_id', '=', incidentId)
    .where('status', '=', 'published')
    .execute();
  await db
    .updateTable('notice_versions')
    .set({ status: 'published', published_by: publisher, published_at: new Date(), updated_at: new Date() })
    .where('id', '=', versionId)
    .where('status', '=', 'approved')
    .execute();
}
