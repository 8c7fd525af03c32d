import { sql } from 'kysely';
import type { CreateIncidentRequest, IncidentSummary } from '../../../shared/contracts/incidents.ts';
import type { Executor } from '../../db/database.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';

/**
 * The incident record: the minimal version other modules attach to (affected people, obligations,
 * campaigns). Creating one also creates its partitions of the large per-incident tables.
 */
type Deps = Pick<PlatformContext, 'db'>;

export async function createIncident(
  deps: Deps,
  input: CreateIncidentRequest & { isDemo?: boolean },
  meta: { actor: Actor; requestId?: string | undefined },
): Promise<IncidentSummary> {
  return deps.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('incidents')
      .values({
        title: input.title,
        description: input.description ?? '',
        aware_at: input.awareAt,
        occurred_at: input.occurredAt ?? null,
        detected_at: input.detectedAt ?? null,
        is_demo: input.isDemo ?? false,
        created_by: meta.actor.label,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`SELECT create_incident_partitions(${row.id}::uuid)`.execute(tx);
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'incident.created',
      requestId: meta.requestId,
      target: { type: 'incident', id: row.id },
    });
    return (await findIncident(tx, row.id))!;
  });
}

const summarySelect = (db: Executor) =>
  db
    .selectFrom('incidents')
    .select((eb) => [
      'incidents.id',
      'incidents.title',
      'incidents.description',
      'incidents.aware_at',
      'incidents.occurred_at',
      'incidents.detected_at',
      'incidents.is_demo',
      'incidents.created_at',
      eb
        .selectFrom('people')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('people.incident_id', '=', 'incidents.id')
        .as('people'),
    ]);

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summarySelect>['execute']>>[number];

function toSummary(row: SummaryRow): IncidentSummary {
  const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    awareAt: new Date(row.aware_at).toISOString(),
    occurredAt: iso(row.occurred_at),
    detectedAt: iso(row.detected_at),
    isDemo: row.is_demo,
    createdAt: new Date(row.created_at).toISOString(),
    people: Number(row.people ?? 0),
  };
}

export async function findIncident(db: Executor, id: string): Promise<IncidentSummary | undefined> {
  const row = await summarySelect(db).where('incidents.id', '=', id).executeTakeFirst();
  return row ? toSummary(row) : undefined;
}

export async function getIncident(db: Executor, id: string): Promise<IncidentSummary> {
  const incident = await findIncident(db, id);
  if (!incident) throw notFound('An incident with this id');
  return incident;
}

export async function listIncidents(db: Executor): Promise<IncidentSummary[]> {
  const rows = await summarySelect(db).orderBy('incidents.created_at', 'desc').execute();
  return rows.map(toSummary);
}
