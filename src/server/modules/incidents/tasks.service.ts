import type { CreateTaskRequest, Task, UpdateTaskRequest } from '../../../shared/contracts/incidents.ts';
import type { Executor } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { enabledStaffIds, staffEmails } from '../auth/index.ts';
import type { Deps, Meta } from './incidents.deps.ts';
import { findIncidentRow } from './incidents.repository.ts';
import { appendTimeline } from './timeline.ts';

/** An incident's tasks: who does what by when, optionally serving one obligation. */

const select = (db: Executor) =>
  db
    .selectFrom('incident_tasks')
    .select(['id', 'title', 'owner_id', 'due_at', 'status', 'obligation_key', 'created_at', 'done_at']);

type Row = Awaited<ReturnType<ReturnType<typeof select>['execute']>>[number];

function toTask(r: Row, ownerEmails: Map<string, string>): Task {
  return {
    id: r.id,
    title: r.title,
    ownerId: r.owner_id,
    ownerEmail: (r.owner_id && ownerEmails.get(r.owner_id)) ?? null,
    dueAt: r.due_at ? new Date(r.due_at).toISOString() : null,
    status: r.status,
    obligationKey: r.obligation_key,
    createdAt: new Date(r.created_at).toISOString(),
    doneAt: r.done_at ? new Date(r.done_at).toISOString() : null,
  };
}

/** Tasks with their owners' emails (read through the users module). */
async function withOwners(db: Executor, rows: Row[]): Promise<Task[]> {
  const emails = await staffEmails(
    db,
    rows.map((r) => r.owner_id),
  );
  return rows.map((r) => toTask(r, emails));
}

async function readTask(db: Executor, taskId: string): Promise<Task> {
  const row = await select(db).where('id', '=', taskId).executeTakeFirstOrThrow();
  return (await withOwners(db, [row]))[0]!;
}

export async function listTasks(db: Executor, incidentId: string): Promise<Task[]> {
  const rows = await select(db)
    .where('incident_id', '=', incidentId)
    .orderBy((eb) => eb.case().when('status', 'in', ['done', 'cancelled']).then(1).else(0).end())
    .orderBy('due_at', (ob) => ob.asc().nullsLast())
    .orderBy('created_at')
    .execute();
  return withOwners(db, rows);
}

async function assertOwner(db: Executor, ownerId: string | null | undefined) {
  if (!ownerId) return;
  if (!(await enabledStaffIds(db, [ownerId])).has(ownerId))
    throw new AppError('validation_failed', 'The task owner must be an active staff account.');
}

export async function createTask(
  deps: Deps,
  incidentId: string,
  input: CreateTaskRequest,
  meta: Meta,
): Promise<Task> {
  return deps.db.transaction().execute(async (tx) => {
    if (!(await findIncidentRow(tx, incidentId))) throw notFound('An incident with this id');
    await assertOwner(tx, input.ownerId);
    const row = await tx
      .insertInto('incident_tasks')
      .values({
        incident_id: incidentId,
        title: input.title,
        owner_id: input.ownerId ?? null,
        due_at: input.dueAt ?? null,
        obligation_key: input.obligationKey ?? null,
        created_by: meta.actor.label,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendTimeline(tx, {
      incidentId,
      kind: 'task',
      actor: meta.actor,
      summary: `Task added: ${input.title}`,
      details: { taskId: row.id },
    });
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'incident.task_created',
      requestId: meta.requestId,
      target: { type: 'incident', id: incidentId },
      details: { taskId: row.id },
    });
    return readTask(tx, row.id);
  });
}

export async function updateTask(
  deps: Deps,
  incidentId: string,
  taskId: string,
  input: UpdateTaskRequest,
  meta: Meta,
): Promise<Task> {
  return deps.db.transaction().execute(async (tx) => {
    const current = await tx
      .selectFrom('incident_tasks')
      .select(['id', 'title', 'status'])
      .where('id', '=', taskId)
      .where('incident_id', '=', incidentId)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw notFound('A task with this id in this incident');
    await assertOwner(tx, input.ownerId);
    const now = new Date();
    await tx
      .updateTable('incident_tasks')
      .set({
        ...(input.title !== undefined && { title: input.title }),
        ...(input.ownerId !== undefined && { owner_id: input.ownerId }),
        ...(input.dueAt !== undefined && { due_at: input.dueAt }),
        ...(input.obligationKey !== undefined && { obligation_key: input.obligationKey }),
        ...(input.status !== undefined && {
          status: input.status,
          done_at: input.status === 'done' ? now : null,
        }),
        updated_at: now,
      })
      .where('id', '=', taskId)
      .execute();
    const fields = Object.keys(input);
    await appendTimeline(tx, {
      incidentId,
      kind: 'task',
      actor: meta.actor,
      summary:
        input.status && input.status !== current.status
          ? `Task ${input.status === 'done' ? 'done' : `→ ${input.status.replace('_', ' ')}`}: ${input.title ?? current.title}`
          : `Task edited (${fields.join(', ')}): ${input.title ?? current.title}`,
      details: { taskId, fields },
    });
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'incident.task_updated',
      requestId: meta.requestId,
      target: { type: 'incident', id: incidentId },
      details: { taskId, fields },
    });
    return readTask(tx, taskId);
  });
}
