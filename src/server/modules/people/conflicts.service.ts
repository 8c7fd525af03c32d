import { sql } from 'kysely';
import type { z } from 'zod';
import type { ConflictSummaryDto, conflictQuery } from '../../../shared/contracts/people.ts';
import { categoriesOf } from '../../../shared/taxonomy.ts';
import type { Executor } from '../../db/database.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { maskedSides } from './conflict-identifiers.ts';
import { ensureJobQueue, requestResolution } from './resolve-again.ts';

/**
 * The conflicts queue: pairs of records that share an email or phone (or one strong identifier) but carry
 * different customer or national ids. Listing shows where each record came from, not who it is; a person
 * with `people:read_pii` can open both records. A decision is final and guarded; 'merge' asks for the
 * incident's people to be resolved again, in the background (resolve-again.ts).
 */
export async function listConflicts(
  db: Executor,
  incidentId: string,
  query: z.output<typeof conflictQuery>,
  /** For a reader with `people:read_pii`: masked identifiers on both sides, the page read audited. */
  reader?: { crypto: PlatformContext['crypto']; actor: Actor; requestId?: string | undefined },
  /** Only this conflict (the answer to a decision), however long the list. */
  onlyId?: string,
): Promise<{ conflicts: ConflictSummaryDto[]; total: number }> {
  const side = (alias: 'a' | 'b') =>
    sql<{ file_name: string; line_no: number; categories: number }>`(
      SELECT json_build_object('file_name', i.file_name, 'line_no', s.line_no, 'categories', s.categories)
      FROM source_records s JOIN imports i ON i.id = s.import_id
      WHERE s.incident_id = c.incident_id AND s.rn = c.${sql.ref(`rn_${alias}`)})`;
  const rows = await db
    .selectFrom('resolution_conflicts as c')
    .select([
      'c.id',
      'c.shared',
      'c.differing',
      'c.status',
      'c.decided_by',
      'c.decided_at',
      'c.rn_a',
      'c.rn_b',
      side('a').as('a'),
      side('b').as('b'),
    ])
    .where('c.incident_id', '=', incidentId)
    .where('c.status', '=', query.status)
    .$if(onlyId !== undefined, (qb) => qb.where('c.id', '=', onlyId!))
    .orderBy('c.created_at')
    .limit(query.limit)
    .execute();
  const total =
    onlyId !== undefined
      ? { n: rows.length }
      : await db
          .selectFrom('resolution_conflicts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('incident_id', '=', incidentId)
          .where('status', '=', query.status)
          .executeTakeFirstOrThrow();
  const identifiers = reader
    ? await db.transaction().execute((tx) => maskedSides(tx, reader, incidentId, rows, reader))
    : null;
  const toSide = (v: { file_name: string; line_no: number; categories: number } | null, rn: number) => ({
    fileName: v?.file_name ?? '(removed)',
    line: Number(v?.line_no ?? 0),
    categories: categoriesOf(v?.categories ?? 0),
    ...(identifiers?.has(Number(rn)) ? { masked: identifiers.get(Number(rn))! } : {}),
  });
  return {
    conflicts: rows.map((r) => ({
      id: r.id,
      shared: r.shared,
      differing: r.differing,
      status: r.status,
      a: toSide(r.a, r.rn_a),
      b: toSide(r.b, r.rn_b),
      decidedBy: r.decided_by,
      decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
    })),
    total: Number(total.n),
  };
}

/**
 * Records the decision and returns: on an incident of millions of records resolution takes minutes, so a
 * merge enqueues it (same transaction) and the console follows its progress. Keeping apart changes nobody:
 * resolution already refused that union and honours only 'merged' decisions, so it enqueues nothing.
 */
export async function decideConflict(
  deps: Pick<PlatformContext, 'db'>,
  conflictId: string,
  decision: 'merge' | 'keep_apart',
  meta: { actor: Actor; requestId?: string | undefined },
): Promise<ConflictSummaryDto> {
  if (decision === 'merge') await ensureJobQueue(deps.db);
  const decided = await deps.db.transaction().execute(async (tx) => {
    const row = await tx
      .updateTable('resolution_conflicts')
      .set({
        status: decision === 'merge' ? 'merged' : 'kept_apart',
        decided_by: meta.actor.label,
        decided_at: new Date(),
      })
      .where('id', '=', conflictId)
      .where('status', '=', 'open')
      .returning(['id', 'incident_id'])
      .executeTakeFirst();
    if (!row) {
      const exists = await tx
        .selectFrom('resolution_conflicts')
        .select('status')
        .where('id', '=', conflictId)
        .executeTakeFirst();
      if (!exists) throw notFound('A conflict with this id');
      throw new AppError(
        'conflict',
        `This conflict was already decided (${exists.status.replace('_', ' ')}).`,
      );
    }
    await recordAudit(tx, {
      actor: meta.actor,
      action: decision === 'merge' ? 'people.conflict_merged' : 'people.conflict_kept_apart',
      requestId: meta.requestId,
      target: { type: 'resolution_conflict', id: conflictId },
      details: { incidentId: row.incident_id },
    });
    if (decision === 'merge') await requestResolution(tx, row.incident_id);
    return row;
  });
  const status = decision === 'merge' ? 'merged' : 'kept_apart';
  const list = await listConflicts(deps.db, decided.incident_id, { status, limit: 1 }, undefined, conflictId);
  const found = list.conflicts.find((c) => c.id === conflictId);
  if (!found) throw notFound('A conflict with this id');
  return found;
}
