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
