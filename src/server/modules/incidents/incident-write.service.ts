import type { Updateable } from 'kysely';
import {
  type CreateIncidentRequest,
  type IncidentDetail,
  type IncidentSummary,
  keyTimeProblems,
  neutralPublicTitle,
  type UpdateIncidentRequest,
} from '../../../shared/contracts/incidents.ts';
import { type Category, categoryMask } from '../../../shared/taxonomy.ts';
import type { IncidentsTable } from '../../db/schema.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { findIncident, getIncidentDetail } from './incident-read.service.ts';
import { cleanPublicTitle, invalidTimes } from './incident-view.ts';
import type { Deps, Meta } from './incidents.deps.ts';
import { addOwners, insertIncident, lockIncidentRow, updateIncidentRow } from './incidents.repository.ts';
import { slugFromTitle } from './public-slug.ts';
import { appendTimeline } from './timeline.ts';

/**
 * Creating an incident and editing its details. Every change lands on the timeline and in the audit log in
 * the same transaction.
 */

export async function createIncident(
  deps: Deps,
  input: CreateIncidentRequest & { isDemo?: boolean },
  meta: Meta,
): Promise<IncidentSummary> {
  const problems = keyTimeProblems(input);
  if (problems.length > 0) throw invalidTimes(problems);
  const publicTitle = cleanPublicTitle(input.publicTitle);
  return deps.db.transaction().execute(async (tx) => {
    const id = await insertIncident(tx, {
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
    });
    if (meta.actor.type === 'user' && meta.actor.id) await addOwners(tx, id, [meta.actor.id]);
    await appendTimeline(tx, {
      incidentId: id,
      kind: 'created',
      actor: meta.actor,
      summary: `Incident created (${input.status ?? 'suspected'}).`,
    });
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'incident.created',
      requestId: meta.requestId,
      target: { type: 'incident', id },
    });
    return (await findIncident({ db: tx, people: deps.people }, id))!;
  });
}

/** The columns an edit changes; refused when it asks for a delay date with the delay switched off. */
function detailChanges(input: UpdateIncidentRequest): Updateable<IncidentsTable> {
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
  return changes as Updateable<IncidentsTable>;
}

export async function updateIncident(
  deps: Deps,
  id: string,
  input: UpdateIncidentRequest,
  meta: Meta,
): Promise<IncidentDetail> {
  await deps.db.transaction().execute(async (tx) => {
    if (!(await lockIncidentRow(tx, id))) throw notFound('An incident with this id');
    const changes = detailChanges(input);
    const fields = Object.keys(changes);
    if (fields.length === 0) throw new AppError('bad_request', 'Nothing to change.');
    await updateIncidentRow(tx, id, changes);
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
  return getIncidentDetail(deps, id);
}

export async function addNote(deps: Deps, id: string, text: string, meta: Meta): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    if (!(await lockIncidentRow(tx, id))) throw notFound('An incident with this id');
    await appendTimeline(tx, { incidentId: id, kind: 'note', actor: meta.actor, summary: text });
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'incident.note_added',
      requestId: meta.requestId,
      target: { type: 'incident', id },
    });
  });
}
