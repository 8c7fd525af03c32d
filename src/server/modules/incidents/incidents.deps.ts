import type { Executor } from '../../db/database.ts';
import type { Actor } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';

/**
 * What an incident shows of its people without owning them: how many, and which categories their records
 * expose. The people module answers (its door's `peopleCounts` and `exposedCategoryMask`); `wiring.ts`
 * hands them over, since people writes to the incidents' timeline and an import back would be a cycle.
 */
export interface PeopleFacts {
  counts(db: Executor, incidentIds: readonly string[]): Promise<Map<string, number>>;
  exposedMask(db: Executor, incidentId: string): Promise<number | null>;
}

/** What the incidents' services use. */
export type Deps = Pick<PlatformContext, 'db'> & { people: PeopleFacts };

/** What reading an incident needs: an executor (the pool, or a transaction) and the people's facts. */
export interface Reader {
  db: Executor;
  people: PeopleFacts;
}

/** Who acts, under which request id: every change lands on the timeline and in the audit log with it. */
export interface Meta {
  actor: Actor;
  requestId?: string | undefined;
}
