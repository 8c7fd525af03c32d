import type { Actor } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';

/** What the campaigns' services use. */
export type Deps = Pick<PlatformContext, 'db' | 'config'>;

/** Who acts, under which request id: every change lands in the audit log with it. */
export interface Meta {
  actor: Actor;
  requestId?: string | undefined;
}

/** The acting staff account, when a person acts (not an API token or the CLI). */
export const actorUserId = (meta: Meta): string | null => (meta.actor.type === 'user' ? meta.actor.id : null);
