import { sql } from 'kysely';
import {
  type CreateIncidentRequest,
  type EntityKind,
  type IncidentDetail,
  type IncidentMetrics,
  type IncidentStatus,
  type IncidentSummary,
  type KeyTime,
  keyTimeLabels,
  keyTimeProblems,
  keyTimes,
  type MetricsOverview,
  neutralPublicTitle,
  type PublicTitle,
  referenceTimings,
  type SetKeyTimesRequest,
  statusTransitions,
  type UpdateIncidentRequest,
} from '../../../shared/contracts/incidents.ts';
import { type Category, categoriesOf, categoryMask } from '../../../shared/taxonomy.ts';
import type { Executor } from '../../db/database.ts';
import type { IncidentsTable } from '../../db/schema.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { readCompanyProfile } from './company-profile.ts';
import { slugFromTitle } from './public-slug.ts';
import { appendTimeline } from './timeline.ts';

/**
 * The incident record every response hangs off: its details, lifecycle, key times and owners. Status moves
 * by guarded SQL (`WHERE status = ANY(allowed)`), and every change lands on the timeline and in the audit
 * log in the same transaction.
 */
type Deps = Pick<PlatformContext, 'db'>;
interface Meta {
  actor: Actor;
  requestId?: string | undefined;
}

const columnOf: Record<KeyTime, keyof IncidentsTable> = {
  occurredAt: 'occurred_at',
  occurredUntil: 'occurred_until',
  detectedAt: 'detected_at',
  awareAt: 'aware_at',
  containedAt: 'contained_at',
  plannedNoticeAt: 'planned_notice_at',
  firstNoticeAt: 'first_notice_at',
  closedAt: 'closed_at',
};

/** Empty texts are the same as none: people then read the neutral default. */
function cleanPublicTitle(publicTitle: PublicTitle | undefined): PublicTitle {
  return Object.fromEntries(Object.entries(publicTitle ?? {}).filter(([, v]) => v?.trim())) as PublicTitle;
}

function invalidTimes(problems: ReturnType<typeof keyTimeProblems>): AppError {
  return new AppError('validation_failed', problems.map((p) => p.message).join(' '), {
    fields: problems.map((p) => ({ path: p.path, message: p.message })),
  });
}

export async function createIncident(
  deps: Deps,
  input: CreateIncidentRequest & { isDemo?: boolean },
  meta: Meta,
): Promise<IncidentSummary> {
  const problems = keyTimeProblems(input);
  if (problems.length > 0) throw invalidTimes(problems);
  const publicTitle = cleanPublicTitle(input.publicTitle);
  return deps.db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('incidents')
      .values({
        title: input.title,
        public_title: JSON.stringify(publicTitle),
        // The public address says what people read, never the internal title.
        public_slug: slugFromTitle(publicTitle.en ?? publicTitle.es ?? neutralPublicTitle.en),
        description: input.description ?? '',
        aware_at: input.awareAt,
        occurred_at: input.occurredAt ?? null,
        occurred_until: input.occurredUntil ?? null,
        detected_at: input.detectedAt ?? null,
        status: input.status ?? 'suspected',
        cause: input.cause ?? null,
        severity: input.severity ?? 'medium',
        systems_affected: input.systemsAffected ?? [],
        categories_entered: categoryMask((input.categoriesEntered ?? []) as Category[]),
        encrypted_safe_key: input.encryptedWithSafeKey ?? false,
        is_demo: input.isDemo ?? false,
        created_by: meta.actor.label,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`SELECT create_incident_partitions(${row.id}::uuid)`.execute(tx);
    if (meta.actor.type === 'user' && meta.actor.id) {
      await tx
        .insertInto('incident_owners')
        .values({ incident_id: row.id, user_id: meta.actor.id })
        .execute();
    }
    await appendTimeline(tx, {
      incidentId: row.id,
      kind: 'created',
      actor: meta.actor,
      summary: `Incident created (${input.status ?? 'suspected'}).`,
    });
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
    .selectAll('incidents')
    .select((eb) => [
      eb
        .selectFrom('people')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('people.incident_id', '=', 'incidents.id')
        .as('people'),
    ]);

type IncidentRow = Awaited<ReturnType<ReturnType<typeof summarySelect>['execute']>>[number];

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

function toSummary(row: IncidentRow): IncidentSummary {
  return {
    id: row.id,
    title: row.title,
    publicTitle: row.public_title ?? {},
    description: row.description,
    status: row.status,
    severity: row.severity,
    awareAt: new Date(row.aware_at).toISOString(),
    occurredAt: iso(row.occurred_at),
    detectedAt: iso(row.detected_at),
    isDemo: row.is_demo,
    createdAt: new Date(row.created_at).toISOString(),
    people: Number(row.people ?? 0),
  };
}

const DAY = 86_400_000;
const daysBetween = (from: Date | string | null, to: Date | string | null) =>
  from && to ? Math.round(((new Date(to).getTime() - new Date(from).getTime()) / DAY) * 10) / 10 : null;

function metricsOf(
  row: Pick<IncidentRow, 'occurred_at' | 'detected_at' | 'contained_at' | 'aware_at' | 'first_notice_at'>,
): IncidentMetrics {
  return {
    identifyDays: daysBetween(row.occurred_at, row.detected_at),
    containDays: daysBetween(row.detected_at, row.contained_at),
    notifyDays: daysBetween(row.aware_at, row.first_notice_at),
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

/** Entity flags in effect: the incident's own, else the company profile's. */
export function effectiveEntity(
  row: Pick<IncidentsTable, 'entity_hipaa' | 'entity_sec' | 'entity_nydfs' | 'entity_ftc_safeguards'>,
  profile: Record<EntityKind, boolean>,
): Record<EntityKind, boolean> {
  return {
    hipaa: row.entity_hipaa ?? profile.hipaa,
    sec: row.entity_sec ?? profile.sec,
    nydfs: row.entity_nydfs ?? profile.nydfs,
    ftc_safeguards: row.entity_ftc_safeguards ?? profile.ftc_safeguards,
  };
}

export async function getIncidentDetail(db: Executor, id: string): Promise<IncidentDetail> {
  const row = await summarySelect(db).where('incidents.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('An incident with this id');
  const [profile, exposure, owners] = await Promise.all([
    readCompanyProfile(db),
    db
      .selectFrom('people')
      .select(sql<number | null>`bit_or(categories)`.as('mask'))
      .where('incident_id', '=', id)
      .executeTakeFirst(),
    db
      .selectFrom('incident_owners as o')
      .innerJoin('users as u', 'u.id', 'o.user_id')
      .select(['u.id', 'u.email'])
      .where('o.incident_id', '=', id)
      .orderBy('o.added_at')
      .execute(),
  ]);
  const fromPeople = exposure?.mask !== null && exposure?.mask !== undefined;
  return {
    ...toSummary(row),
    cause: row.cause,
    systemsAffected: row.systems_affected,
    categories: categoriesOf(fromPeople ? Number(exposure.mask) : row.categories_entered),
    categoriesSource: fromPeople ? 'people' : 'entered',
    categoriesEntered: categoriesOf(row.categories_entered),
    encryptedWithSafeKey: row.encrypted_safe_key,
    lawEnforcementDelay: row.law_enforcement_delay,
    lawEnforcementDelayUntil: iso(row.law_enforcement_delay_until),
    times: Object.fromEntries(
      keyTimes.map((k) => [k, iso(row[columnOf[k]] as Date | null)]),
    ) as IncidentDetail['times'],
    entity: {
      hipaa: row.entity_hipaa,
      sec: row.entity_sec,
      nydfs: row.entity_nydfs,
      ftc_safeguards: row.entity_ftc_safeguards,
    },
    entityEffective: effectiveEntity(row, profile.entity),
    entityDefault: profile.entity,
    owners,
    nextStatuses: [...statusTransitions[row.status]],
    metrics: metricsOf(row),
  };
}

async function lockIncident(tx: Executor, id: string) {
  const row = await tx
    .selectFrom('incidents')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('An incident with this id');
  return row;
}

export async function updateIncident(
  deps: Deps,
  id: string,
  input: UpdateIncidentRequest,
  meta: Meta,
): Promise<IncidentDetail> {
  await deps.db.transaction().execute(async (tx) => {
    await lockIncident(tx, id);
    const changes: Partial<Record<keyof IncidentsTable, unknown>> = {};
    if (input.title !== undefined) changes.title = input.title;
    if (input.publicTitle !== undefined)
      changes.public_title = JSON.stringify(cleanPublicTitle(input.publicTitle));
    if (input.description !== undefined) changes.description = input.description;
    if (input.cause !== undefined) changes.cause = input.cause;
    if (input.severity !== undefined) changes.severity = input.severity;
    if (input.systemsAffected !== undefined) changes.systems_affected = input.systemsAffected;
    if (input.categoriesEntered !== undefined)
      changes.categories_entered = categoryMask(input.categoriesEntered as Category[]);
    if (input.encryptedWithSafeKey !== undefined) changes.encrypted_safe_key = input.encryptedWithSafeKey;
    if (input.lawEnforcementDelay !== undefined) {
      changes.law_enforcement_delay = input.lawEnforcementDelay;
      if (!input.lawEnforcementDelay) changes.law_enforcement_delay_until = null;
    }
    if (input.lawEnforcementDelayUntil !== undefined) {
      if (input.lawEnforcementDelayUntil && input.lawEnforcementDelay === false) {
        throw new AppError('validation_failed', 'A law-enforcement delay date needs the delay switched on.');
      }
      changes.law_enforcement_delay_until = input.lawEnforcementDelayUntil;
      if (input.lawEnforcementDelayUntil) changes.law_enforcement_delay = true;
    }
    if (input.entity) {
      for (const [k, v] of Object.entries(input.entity)) {
        if (v !== undefined) changes[`entity_${k}` as keyof IncidentsTable] = v;
      }
    }
    const fields = Object.keys(changes);
    if (fields.length === 0) throw new AppError('bad_request', 'Nothing to change.');
    await tx
      .updateTable('incidents')
      .set({ ...(changes as object), updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await appendTimeline(tx, {
      incidentId: id,
      kind: 'details',
      actor: meta.actor,
      summary: `Details edited: ${fields.join(', ')}.`,
      details: { fields },
    });
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'incident.updated',
      requestId: meta.requestId,
      target: { type: 'incident', id },
      details: { fields },
    });
  });
  return getIncidentDetail(deps.db, id);
}

/** Edits key times; every edit needs a reason, which the timeline and the audit log keep. */
export async function setKeyTimes(
  deps: Deps,
  id: string,
  input: SetKeyTimesRequest,
  meta: Meta,
): Promise<IncidentDetail> {
  await deps.db.transaction().execute(async (tx) => {
    const row = await lockIncident(tx, id);
    const current = Object.fromEntries(
      keyTimes.map((k) => [k, iso(row[columnOf[k]] as Date | null)]),
    ) as Record<KeyTime, string | null>;
    const next = { ...current, ...input.times };
    if (input.times.awareAt === null) {
      throw new AppError(
        'validation_failed',
        'The awareness time cannot be removed: the legal clocks start there.',
        {
          fields: [{ path: 'awareAt', message: 'Required.' }],
        },
      );
    }
    const problems = keyTimeProblems(next);
    if (problems.length > 0) throw invalidTimes(problems);
    const changed = (Object.keys(input.times) as KeyTime[]).filter(
      (k) =>
        next[k] !== current[k] &&
        (next[k] === null || current[k] === null || Date.parse(next[k]!) !== Date.parse(current[k]!)),
    );
    if (changed.length === 0) throw new AppError('bad_request', 'These are already the incident’s times.');
    await tx
      .updateTable('incidents')
      .set({
        ...Object.fromEntries(changed.map((k) => [columnOf[k], next[k]])),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
    const words = changed.map(
      (k) => `${keyTimeLabels[k]}: ${current[k] ?? 'not set'} → ${next[k] ?? 'not set'}`,
    );
    await appendTimeline(tx, {
      incidentId: id,
      kind: 'key_time',
      actor: meta.actor,
      summary: `${words.join('; ')}. Reason: ${input.reason}`,
      details: { fields: changed, reason: input.reason },
    });
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'incident.key_times_changed',
      requestId: meta.requestId,
      target: { type: 'incident', id },
      details: { fields: changed, reason: input.reason.slice(0, 500) },
    });
  });
  return getIncidentDetail(deps.db, id);
}

/**
 * Moves the lifecycle, guarded in SQL: the update only matches when the incident is still in a status the
 * target may be reached from. Entering `contained` fills the containment time if unset; `closed` sets the
 * close time; reopening clears it.
 */
export async function transitionIncident(
  deps: Deps,
  id: string,
  to: IncidentStatus,
  note: string | undefined,
  meta: Meta,
): Promise<IncidentDetail> {
  await deps.db.transaction().execute(async (tx) => {
    const from = (Object.keys(statusTransitions) as IncidentStatus[]).filter((s) =>
      statusTransitions[s].includes(to),
    );
    const now = new Date();
    const moved = await tx
      .updateTable('incidents')
      .set((eb) => ({
        status: to,
        updated_at: now,
        closed_at: to === 'closed' ? now : null,
        // Never before detection (which may be stamped a few seconds ahead by a client's clock).
        contained_at:
          to === 'contained'
            ? eb.fn.coalesce(
                'contained_at',
                sql<Date>`greatest(${now}::timestamptz, detected_at, occurred_at)`,
              )
            : eb.ref('contained_at'),
      }))
      .where('id', '=', id)
      .where('status', 'in', from.length > 0 ? from : ['__none__' as IncidentStatus])
      .returning(['status'])
      .executeTakeFirst();
    if (!moved) {
      const current = await tx
        .selectFrom('incidents')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirst();
      if (!current) throw notFound('An incident with this id');
      const allowed = statusTransitions[current.status];
      throw new AppError(
        'conflict',
        `The incident is ${current.status}; it cannot move to ${to}. From ${current.status} it can move to ${allowed.join(' or ')}.`,
      );
    }
    await appendTimeline(tx, {
      incidentId: id,
      kind: 'status',
      actor: meta.actor,
      summary: `Status → ${to}.${note ? ` ${note}` : ''}`,
      details: { to },
    });
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'incident.status_changed',
      requestId: meta.requestId,
      target: { type: 'incident', id },
      details: { to },
    });
  });
  return getIncidentDetail(deps.db, id);
}

export async function setOwners(
  deps: Deps,
  id: string,
  userIds: string[],
  meta: Meta,
): Promise<IncidentDetail> {
  await deps.db.transaction().execute(async (tx) => {
    await lockIncident(tx, id);
    const unique = [...new Set(userIds)];
    if (unique.length > 0) {
      const found = await tx
        .selectFrom('users')
        .select('id')
        .where('id', 'in', unique)
        .where('status', '<>', 'disabled')
        .execute();
      if (found.length !== unique.length) {
        throw new AppError('validation_failed', 'Owners must be active staff accounts.');
      }
    }
    await tx.deleteFrom('incident_owners').where('incident_id', '=', id).execute();
    if (unique.length > 0) {
      await tx
        .insertInto('incident_owners')
        .values(unique.map((user_id) => ({ incident_id: id, user_id })))
        .execute();
    }
    await appendTimeline(tx, {
      incidentId: id,
      kind: 'details',
      actor: meta.actor,
      summary: `Owners set (${unique.length}).`,
      details: { owners: unique },
    });
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'incident.owners_changed',
      requestId: meta.requestId,
      target: { type: 'incident', id },
      details: { owners: unique },
    });
  });
  return getIncidentDetail(deps.db, id);
}

export async function addNote(deps: Deps, id: string, text: string, meta: Meta): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    await lockIncident(tx, id);
    await appendTimeline(tx, { incidentId: id, kind: 'note', actor: meta.actor, summary: text });
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'incident.note_added',
      requestId: meta.requestId,
      target: { type: 'incident', id },
    });
  });
}

const mean = (values: Array<number | null>) => {
  const known = values.filter((v): v is number => v !== null);
  return known.length > 0 ? Math.round((known.reduce((a, b) => a + b, 0) / known.length) * 10) / 10 : null;
};

/** Time to identify, contain and notify for every incident, the company's averages and the reference. */
export async function metricsOverview(db: Executor): Promise<MetricsOverview> {
  const rows = await db
    .selectFrom('incidents')
    .select([
      'id',
      'title',
      'aware_at',
      'occurred_at',
      'detected_at',
      'contained_at',
      'first_notice_at',
      'is_demo',
    ])
    .orderBy('aware_at')
    .execute();
  const incidents = rows.map((r) => ({
    id: r.id,
    title: r.title,
    awareAt: new Date(r.aware_at).toISOString(),
    ...metricsOf(r),
  }));
  return {
    reference: referenceTimings,
    companyAverage: {
      identifyDays: mean(incidents.map((i) => i.identifyDays)),
      containDays: mean(incidents.map((i) => i.containDays)),
      notifyDays: mean(incidents.map((i) => i.notifyDays)),
      incidents: incidents.length,
    },
    incidents,
  };
}
