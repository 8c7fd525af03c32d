import type { Actor } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';

/** What the inbox's services use: the platform's pieces, and `kick` to wake outbound's message lane. */
export type Deps = Pick<PlatformContext, 'db' | 'crypto' | 'config' | 'logger'> & { kick: () => void };

/** Who acts, under which request id: every read of a thread and every change is audited with it. */
export interface Meta {
  actor: Actor;
  requestId?: string | undefined;
}

/** The acting staff account, when a person acts (not an API token or the CLI). */
export const actorUserId = (meta: Meta): string | null => (meta.actor.type === 'user' ? meta.actor.id : null);
