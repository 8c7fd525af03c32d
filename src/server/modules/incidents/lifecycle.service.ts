import {
  type IncidentDetail,
  type IncidentStatus,
  statusTransitions,
} from '../../../shared/contracts/incidents.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { getIncidentDetail } from './incident-read.service.ts';
import type { Deps, Meta } from './incidents.deps.ts';
import { incidentStatus, moveStatus } from './incidents.repository.ts';
import { appendTimeline } from './timeline.ts';

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
    const moved = await moveStatus(tx, id, to, from, new Date());
    if (!moved) {
      const current = await incidentStatus(tx, id);
      if (!current) throw notFound('An incident with this id');
      const allowed = statusTransitions[current];
      throw new AppError(
        'conflict',
        `The incident is ${current}; it cannot move to ${to}. From ${current} it can move to ${allowed.join(' or ')}.`,
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
  return getIncidentDetail(deps, id);
}
