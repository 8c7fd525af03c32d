import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { IncidentStatus } from '../../../shared/contracts/incidents.ts';
import type { Executor } from '../../db/database.ts';
import type { IncidentsTable } from '../../db/schema.ts';

/**
 * SQL of the incidents and their owners. The connection or transaction is the first argument of each
 * function: the caller decides what runs together.
 */
export type IncidentRow = Selectable<IncidentsTable>;

/** Incidents' internal titles by id, for staff screens of other modules (the support inbox names the incident
 * a thread belongs to). Ids with no incident are left out. */
export async function incidentTitles(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('incidents').select(['id', 'title']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.title]));
}

/** Whether the incident exists. With `lock`, its row is held until the transaction ends. */
export async function incidentExists(
  db: Executor,
  id: string,
  options: { lock: boolean } = { lock: false },
): Promise<boolean> {
  let query = db.selectFrom('incidents').select('id').where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  return (await query.executeTakeFirst()) !== undefined;
}

/** Incidents not closed (whose deadlines still matter), with their internal titles. */
export function openIncidents(db: Executor): Promise<Array<{ id: string; title: string }>> {
  return db.selectFrom('incidents').select(['id', 'title']).where('status', '<>', 'closed').execute();
}

/** When the company became aware of each incident, by id; ids with no incident are left out. */
export async function awareTimes(db: Executor, ids: readonly string[]): Promise<Map<string, Date>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('incidents')
    .select(['id', 'aware_at'])
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.id, new Date(r.aware_at)]));
}

/** A new incident and its partitions (people, records, deliveries… are partitioned per incident). */
export async function insertIncident(db: Executor, values: Insertable<IncidentsTable>): Promise<string> {
  const row = await db.insertInto('incidents').values(values).returning('id').executeTakeFirstOrThrow();
  await sql`SELECT create_incident_partitions(${row.id}::uuid)`.execute(db);
  return row.id;
}

export function findIncidentRow(db: Executor, id: string): Promise<IncidentRow | undefined> {
  return db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The row, locked until the transaction ends: changes to one incident queue behind each other. */
export function lockIncidentRow(db: Executor, id: string): Promise<IncidentRow | undefined> {
  return db.selectFrom('incidents').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Newest first. */
export function listIncidentRows(db: Executor): Promise<IncidentRow[]> {
  return db.selectFrom('incidents').selectAll().orderBy('created_at', 'desc').execute();
}

export async function updateIncidentRow(
  db: Executor,
  id: string,
  changes: Updateable<IncidentsTable>,
): Promise<void> {
  await db
    .updateTable('incidents')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/**
 * Moves the status, guarded: only while the incident is in one of `from`. Entering `contained` fills the
 * containment time if unset (never before detection, which a client's clock may stamp a few seconds ahead);
 * `closed` sets the close time; any other status clears it. Undefined when the guard did not match.
 */
export async function moveStatus(
  db: Executor,
  id: string,
  to: IncidentStatus,
  from: readonly IncidentStatus[],
  now: Date,
): Promise<{ status: IncidentStatus } | undefined> {
  if (from.length === 0) return undefined;
  return db
    .updateTable('incidents')
    .set((eb) => ({
      status: to,
      updated_at: now,
      closed_at: to === 'closed' ? now : null,
      contained_at:
        to === 'contained'
          ? eb.fn.coalesce('contained_at', sql<Date>`greatest(${now}::timestamptz, detected_at, occurred_at)`)
          : eb.ref('contained_at'),
    }))
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .returning(['status'])
    .executeTakeFirst();
}

export async function incidentStatus(db: Executor, id: string): Promise<IncidentStatus | undefined> {
  const row = await db.selectFrom('incidents').select('status').where('id', '=', id).executeTakeFirst();
  return row?.status;
}

/** What the timings need of every incident, oldest awareness first. */
export function timingRows(db: Executor) {
  return db
    .selectFrom('incidents')
    .select([
      'id',
      'title',
      'aware_at',
      'occurred_at',
      'detected_at',
      'contained_at',
      'first_notice_at',
      'is_demo',
    ])
    .orderBy('aware_at')
    .execute();
}

// ---- Owners ------------------------------------------------------------------------------------------

/** The owners' user ids, in the order they were added. */
export async function ownerIds(db: Executor, incidentId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('incident_owners')
    .select('user_id')
    .where('incident_id', '=', incidentId)
    .orderBy('added_at')
    .execute();
  return rows.map((r) => r.user_id);
}

/** Replaces the owners with these (in this order). */
export async function replaceOwners(
  db: Executor,
  incidentId: string,
  userIds: readonly string[],
): Promise<void> {
  await db.deleteFrom('incident_owners').where('incident_id', '=', incidentId).execute();
  await addOwners(db, incidentId, userIds);
}

export async function addOwners(db: Executor, incidentId: string, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .insertInto('incident_owners')
    .values(userIds.map((user_id) => ({ incident_id: incidentId, user_id })))
    .execute();
}

/** Sets the first individual notice's time unless it is set; true when this call set it. */
export async function markFirstNotice(db: Executor, incidentId: string): Promise<boolean> {
  const result = await db
    .updateTable('incidents')
    .set({ first_notice_at: new Date() })
    .where('id', '=', incidentId)
    .where('first_notice_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
