import { sql } from 'kysely';
import type { ApiTokenSummary } from '../../../shared/contracts/tokens.ts';
import { can, type Role } from '../../../shared/permissions.ts';
import type { Executor } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import type { Principal } from '../../platform/http/access.ts';
import { actorOf } from '../../platform/http/actors.ts';
import { hashToken, newToken } from './secrets.ts';
import type { RequestMeta } from './sign-in.service.ts';

/**
 * API tokens for automation: `cnd_` + 256 random bits, scoped to a role, shown once, stored as SHA-256,
 * revocable. A token stops working when its creator is disabled.
 */
const TOKEN_PREFIX = 'cnd_';
type Deps = Pick<PlatformContext, 'db'>;

type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
};

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

function toSummary(row: TokenRow): ApiTokenSummary {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: iso(row.expires_at),
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
  };
}

const columns = [
  'id',
  'name',
  'prefix',
  'role',
  'created_at',
  'expires_at',
  'last_used_at',
  'revoked_at',
] as const;

export async function listApiTokens(deps: Deps): Promise<ApiTokenSummary[]> {
  const rows = await deps.db.selectFrom('api_tokens').select(columns).orderBy('created_at', 'desc').execute();
  return rows.map((r) => toSummary(r as TokenRow));
}

export async function createApiToken(
  deps: Deps,
  principal: Principal,
  input: { name: string; role: Role; expiresInDays?: number | undefined },
  meta: RequestMeta,
) {
  const token = newToken(TOKEN_PREFIX);
  return deps.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('api_tokens')
      .values({
        name: input.name,
        token_hash: hashToken(token),
        prefix: token.slice(0, TOKEN_PREFIX.length + 6),
        role: input.role,
        created_by: principal.userId,
        expires_at: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
      })
      .returning(columns)
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      actor: actorOf(principal),
      action: 'api_token.created',
      requestId: meta.requestId,
      target: { type: 'api_token', id: row.id },
      details: { role: input.role, expiresInDays: input.expiresInDays ?? null },
    });
    return { token, summary: toSummary(row as TokenRow) };
  });
}

export async function revokeApiToken(deps: Deps, principal: Principal, id: string, meta: RequestMeta) {
  await deps.db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('api_tokens')
      .set({ revoked_at: sql`now()` })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!row) throw notFound('An active API token with this id');
    await recordAudit(tx, {
      actor: actorOf(principal),
      action: 'api_token.revoked',
      requestId: meta.requestId,
      target: { type: 'api_token', id },
    });
  });
}

export async function resolveApiToken(db: Executor, token: string): Promise<Principal | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.created_by')
    .select([
      'api_tokens.id',
      'api_tokens.role',
      'api_tokens.name',
      'api_tokens.created_by',
      'api_tokens.last_used_at',
      'users.role as creator_role',
    ])
    .where('api_tokens.token_hash', '=', hashToken(token))
    .where('api_tokens.revoked_at', 'is', null)
    .where((eb) =>
      eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', sql<Date>`now()`)]),
    )
    .where('users.status', '=', 'active')
    .executeTakeFirst();
  // A token lives only while its creator may still manage tokens (demoted or disabled creators end it).
  if (!row || !can(row.creator_role, 'tokens:manage')) return null;
  if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: sql`now()` }).where('id', '=', row.id).execute();
  }
  return {
    kind: 'token',
    userId: row.created_by,
    role: row.role,
    credentialId: row.id,
    stage: 'active',
    csrfToken: null,
    reauthenticatedAt: null,
    label: `token:${row.name}`.slice(0, 120),
  };
}
