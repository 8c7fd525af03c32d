import type { CreateTaskRequest, Task, UpdateTaskRequest } from '../../../shared/contracts/incidents.ts';
import type { Executor } from '../../db/database.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { appendTimeline } from './timeline.ts';

/** An incident's tasks: who does what by when, optionally serving one obligation. */
type Deps = Pick<PlatformContext, 'db'>;
interface Meta {
  actor: Actor;
  requestId?: string | undefined;
}

const select = (db: Executor) =>
  db
    .selectFrom('incident_tasks as t')
    .leftJoin('users as u', 'u.id', 't.owner_id')
    .select([
      't.id',
      't.title',
      't.owner_id',
      'u.email',
      't.due_at',
      't.status',
      't.obligation_key',
      't.created_at',
      't.done_at',
    ]);

type Row = Awaited<ReturnType<ReturnType<typeof select>['execute']>>[number];

function toTask(r: Row): Task {
  return {
    id: r.id,
    title: r.title,
    ownerId: r.owner_id,
    ownerEmail: r.email,
    dueAt: r.due_at ? new Date(r.due_at).toISOString() : null,
    status: r.status,
    obligationKey: r.obligation_key,
    createdAt: new Date(r.created_at).toISOString(),
    doneAt: r.done_at ? new Date(r.done_at).toISOString() : null,
  };
}

export async function listTasks(db: Executor, incidentId: string): Promise<Task[]> {
  const rows = await select(db)
    .where('t.incident_id', '=', incidentId)
    .orderBy((eb) => eb.case().when('t.status', 'in', ['done', 'cancelled']).then(1).else(0).end())
    .orderBy('t.due_at', (ob) => ob.asc().nullsLast())
    .orderBy('t.created_at')
    .execute();
  return rows.map(toTask);
}

async function assertOwner(db: Executor, ownerId: string | null | undefined) {
  if (!ownerId) return;
  const user = await db
    .selectFrom('users')
    .select('id')
    .where('id', '=', ownerId)
    .where('status', '<>', 'disabled')
    .executeTakeFirst();
  if (!user) throw new AppError('validation_failed', 'The task owner must be an active staff account.');
}

export async function createTask(
  deps: Deps,
  incidentId: string,
  input: CreateTaskRequest,
  meta: Meta,
): Promise<Task> {
  return deps.db.transaction().execute(async (tx) => {
    const incident = await tx
      .selectFrom('incidents')
      .select('id')
      .where('id', '=', incidentId)
      .executeTakeFirst();
    if (!incident) throw notFound('An incident with this id');
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
    return toTask((await select(tx).where('t.id', '=', row.id).executeTakeFirst())!);
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
    return toTask((await select(tx).where('t.id', '=', taskId).executeTakeFirst())!);
  });
}
