import type { TimelineEvent } from '../../../shared/contracts/incidents.ts';
import type { Executor } from '../../db/database.ts';
import type { Actor } from '../../platform/audit/audit-log.ts';
import { staffNames } from '../auth/index.ts';

export type TimelineKind =
  | 'created'
  | 'note'
  | 'status'
  | 'key_time'
  | 'details'
  | 'import'
  | 'task'
  | 'obligation'
  | 'alert'
  | 'campaign'
  | 'notice';

/**
 * Appends to an incident's timeline, in the caller's transaction. The table is append-only. Automatic
 * summaries carry ids, counts and field names, never personal data.
 */
export async function appendTimeline(
  db: Executor,
  event: {
    incidentId: string;
    kind: TimelineKind;
    actor: Actor;
    summary: string;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await db
    .insertInto('incident_events')
    .values({
      incident_id: event.incidentId,
      kind: event.kind,
      actor_id: event.actor.type === 'user' ? event.actor.id : null,
      actor_label: event.actor.label,
      summary: event.summary.slice(0, 5000),
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}

export async function listTimeline(db: Executor, incidentId: string): Promise<TimelineEvent[]> {
  const rows = await db
    .selectFrom('incident_events')
    .select(['id', 'at', 'kind', 'actor_id', 'actor_label', 'summary', 'details'])
    .where('incident_id', '=', incidentId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(2000)
    .execute();
  // Staff by their current name (shown to staff only); tokens and the system by their label.
  const names = await staffNames(
    db,
    rows.map((r) => r.actor_id),
  );
  return rows.map((r) => ({
    id: String(r.id),
    at: new Date(r.at).toISOString(),
    kind: r.kind,
    actor: (r.actor_id && names.get(r.actor_id)) || r.actor_label,
    summary: r.summary,
    details: r.details,
  }));
}

/** Every entry, oldest first (the regulator-ready report prints the whole timeline), staff by current name. */
export async function fullTimeline(
  db: Executor,
  incidentId: string,
): Promise<Array<{ at: Date; kind: string; actor: string; summary: string }>> {
  const rows = await db
    .selectFrom('incident_events')
    .select(['at', 'kind', 'actor_id', 'actor_label', 'summary'])
    .where('incident_id', '=', incidentId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  const names = await staffNames(
    db,
    rows.map((r) => r.actor_id),
  );
  return rows.map((r) => ({
    at: new Date(r.at),
    kind: r.kind,
    actor: (r.actor_id && names.get(r.actor_id)) || r.actor_label,
    summary: r.summary,
  }));
}
