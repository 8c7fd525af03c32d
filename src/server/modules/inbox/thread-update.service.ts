import type { ThreadDetail, ThreadPatch } from '../../../shared/contracts/inbox.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError } from '../../platform/errors.ts';
import { isAssignableStaff } from '../auth/index.ts';
import type { Deps, Meta } from './inbox.deps.ts';
import { getThread } from './thread-read.service.ts';
import { askSatisfaction } from './thread-reply.service.ts';
import { threadFound } from './thread-view.ts';
import { lockThread, type ThreadChanges, updateThreadFields } from './threads.repository.ts';

/**
 * What an agent changes by hand: the status (solving asks the requester how we did), the assignee (an
 * active agent or admin) and a data-subject request's completion. Audited in the same transaction.
 */
export async function updateThread(
  deps: Deps,
  id: string,
  input: ThreadPatch,
  meta: Meta,
): Promise<ThreadDetail> {
  await deps.db.transaction().execute(async (tx) => {
    const row = threadFound(await lockThread(tx, id));
    const changes: ThreadChanges = {};
    if (input.status && input.status !== row.status) {
      changes.status = input.status;
      changes.solved_at = input.status === 'solved' ? new Date() : null;
      if (input.status === 'solved') await askSatisfaction(deps, tx, row);
    }
    if (input.assigneeId !== undefined) {
      if (input.assigneeId && !(await isAssignableStaff(tx, input.assigneeId))) {
        throw new AppError('bad_request', 'Assign the thread to an active agent or admin.');
      }
      changes.assignee_id = input.assigneeId;
    }
    if (input.dsrCompleted !== undefined) {
      if (!row.dsr_kind) throw new AppError('conflict', 'This thread is not a data-subject request.');
      changes.dsr_completed_at = input.dsrCompleted ? new Date() : null;
    }
    if (Object.keys(changes).length === 0) return;
    await updateThreadFields(tx, id, changes);
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'inbox.thread_updated',
      requestId: meta.requestId,
      target: { type: 'inbox_thread', id },
      details: {
        fields: Object.keys(changes).filter((k) => k !== 'solved_at'),
        ...(input.status ? { status: input.status } : {}),
      },
    });
  });
  deps.kick();
  return getThread(deps, id, meta);
}
