import type { Actor } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';

/** What the incidents' services use. */
export type Deps = Pick<PlatformContext, 'db'>;

/** Who acts, under which request id: every change lands on the timeline and in the audit log with it. */
export interface Meta {
  actor: Actor;
  requestId?: string | undefined;
}
