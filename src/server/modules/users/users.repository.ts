import type { Executor } from '../../db/database.ts';

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
