import type { Executor } from '../../db/database.ts';
import type { Actor } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import { incidentSlug } from '../incidents/index.ts';

/** What the notice site's staff services use. */
export type Deps = Pick<PlatformContext, 'db' | 'crypto' | 'config'>;

/** Who acts, under which request id: every change and every decrypting read is audited with it. */
export interface Meta {
  actor: Actor;
  requestId?: string | undefined;
}

/** The acting staff account, when a person acts (not an API token or the CLI). */
export const actorUserId = (meta: Meta): string | null => (meta.actor.type === 'user' ? meta.actor.id : null);

/**
 * The incident's notice address, or "not found". With `lock`, notice changes of one incident queue behind
 * each other until the transaction ends (the incidents module holds its row).
 */
export async function noticeIncident(
  db: Executor,
  incidentId: string,
  options: { lock: boolean } = { lock: false },
): Promise<{ id: string; slug: string }> {
  const slug = await incidentSlug(db, incidentId, options);
  if (slug === undefined) throw notFound('The incident');
  return { id: incidentId, slug };
}
