import type { Role } from '../../../shared/permissions.ts';
import type { Executor } from '../../db/database.ts';
import { staffLabel } from '../../platform/http/actors.ts';

const summaryColumns = [
  'id',
  'email',
  'display_name',
  'role',
  'status',
  'totp_secret',
  'last_sign_in_at',
  'created_at',
] as const;

export function listUsers(db: Executor) {
  return db.selectFrom('users').select(summaryColumns).orderBy('created_at').execute();
}

export function findUser(db: Executor, id: string) {
  return db.selectFrom('users').select(summaryColumns).where('id', '=', id).executeTakeFirst();
}

export function findUserByEmail(db: Executor, email: string) {
  return db.selectFrom('users').select(summaryColumns).where('email', '=', email).executeTakeFirst();
}

export async function countActiveAdmins(db: Executor, exceptId?: string): Promise<number> {
  let query = db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('status', '!=', 'disabled');
  if (exceptId) query = query.where('id', '!=', exceptId);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

export type UserSummaryRow = Awaited<ReturnType<typeof listUsers>>[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Current names of staff by id (display name, else email), for rows recorded with an older label (a role
 * such as "admin", before labels carried names). Ids that are not staff accounts are left out.
 */
export async function staffNames(
  db: Executor,
  ids: ReadonlyArray<string | null | undefined>,
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id && UUID.test(id)))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'email'])
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.id, staffLabel(r)]));
}

/** Staff emails by id, for lists that show who (incident owners, task owners). Unknown ids are left out. */
export async function staffEmails(
  db: Executor,
  ids: ReadonlyArray<string | null>,
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id && UUID.test(id)))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'email']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.email]));
}

/** Which of these ids are staff accounts that are not disabled (they may own an incident or a task). */
export async function enabledStaffIds(db: Executor, ids: readonly string[]): Promise<Set<string>> {
  const wanted = [...new Set(ids.filter((id) => UUID.test(id)))];
  if (wanted.length === 0) return new Set();
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('id', 'in', wanted)
    .where('status', '<>', 'disabled')
    .execute();
  return new Set(rows.map((r) => r.id));
}

/**
 * Emails of active staff (set up, not disabled): those among `ids` (an incident's owners), or everyone with
 * one of `roles` (who hears of an incident nobody owns). Unknown ids are left out.
 */
export async function activeStaffEmails(
  db: Executor,
  who: { ids: readonly string[] } | { roles: readonly Role[] },
): Promise<string[]> {
  let query = db.selectFrom('users').select('email').where('status', '=', 'active');
  if ('ids' in who) {
    const wanted = [...new Set(who.ids.filter((id) => UUID.test(id)))];
    if (wanted.length === 0) return [];
    query = query.where('id', 'in', wanted);
  } else {
    if (who.roles.length === 0) return [];
    query = query.where('role', 'in', [...who.roles]);
  }
  return (await query.execute()).map((r) => r.email);
}

/** Whether this address is a staff account's that is not disabled (test sends go to staff only). */
export async function isEnabledStaffEmail(db: Executor, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', email.toLowerCase())
    .where('status', '<>', 'disabled')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * A disabled account, created once and found again by email (the demo's author and approver: they sign the
 * record, nobody signs in as them). Returns its id and its role.
 */
export async function upsertDisabledStaff(
  db: Executor,
  account: { email: string; role: Role; displayName: string },
): Promise<{ id: string; role: Role }> {
  return db
    .insertInto('users')
    .values({
      email: account.email,
      role: account.role,
      status: 'disabled',
      display_name: account.displayName,
    })
    .onConflict((oc) => oc.column('email').doUpdateSet({ updated_at: new Date() }))
    .returning(['id', 'role'])
    .executeTakeFirstOrThrow();
}

/** The roles that answer the support inbox: who a thread can be assigned to. */
const inboxRoles = ['agent', 'admin'] as const;
type InboxRole = (typeof inboxRoles)[number];

/** Active agents and admins by name, for the inbox's assignee picker (agents may not list staff). */
export async function listAssignableStaff(
  db: Executor,
): Promise<Array<{ id: string; name: string; role: InboxRole }>> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name', 'email', 'role'])
    .where('status', '=', 'active')
    .where('role', 'in', [...inboxRoles])
    .orderBy('display_name')
    .execute();
  return rows.map((u) => ({ id: u.id, name: staffLabel(u), role: u.role as InboxRole }));
}

/** Whether this account may be assigned an inbox thread: active, and an agent or an admin. */
export async function isAssignableStaff(db: Executor, id: string): Promise<boolean> {
  const user = await db
    .selectFrom('users')
    .select('id')
    .where('id', '=', id)
    .where('status', '=', 'active')
    .where('role', 'in', [...inboxRoles])
    .executeTakeFirst();
  return user !== undefined;
}
