import {
  type IncidentDetail,
  type KeyTime,
  keyTimeLabels,
  keyTimeProblems,
  keyTimes,
  type SetKeyTimesRequest,
} from '../../../shared/contracts/incidents.ts';
import type { Executor } from '../../db/database.ts';
import { recordAudit, systemActor } from '../../platform/audit/audit-log.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { getIncidentDetail } from './incident-read.service.ts';
import { columnOf, invalidTimes, iso } from './incident-view.ts';
import type { Deps, Meta } from './incidents.deps.ts';
import { lockIncidentRow, markFirstNotice, updateIncidentRow } from './incidents.repository.ts';
import { appendTimeline } from './timeline.ts';

/** Edits key times; every edit needs a reason, which the timeline and the audit log keep. */
export async function setKeyTimes(
  deps: Deps,
  id: string,
  input: SetKeyTimesRequest,
  meta: Meta,
): Promise<IncidentDetail> {
  await deps.db.transaction().execute(async (tx) => {
    const row = await lockIncidentRow(tx, id);
    if (!row) throw notFound('An incident with this id');
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
    await updateIncidentRow(tx, id, Object.fromEntries(changed.map((k) => [columnOf[k], next[k]])));
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
  return getIncidentDetail(deps, id);
}

/**
 * The first individual notice went out (a campaign's first send): records the key time once, with its
 * timeline entry, in the caller's transaction. Later sends change nothing. True when this call recorded it.
 */
export async function recordFirstNotice(
  tx: Executor,
  incidentId: string,
  event: { summary: string; details?: Record<string, unknown> },
): Promise<boolean> {
  if (!(await markFirstNotice(tx, incidentId))) return false;
  await appendTimeline(tx, { incidentId, kind: 'campaign', actor: systemActor, ...event });
  return true;
}
