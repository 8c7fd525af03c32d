import type { IncidentDetail } from '../../../shared/contracts/incidents.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { enabledStaffIds } from '../auth/index.ts';
import { getIncidentDetail } from './incident-read.service.ts';
import type { Deps, Meta } from './incidents.deps.ts';
import { lockIncidentRow, replaceOwners } from './incidents.repository.ts';
import { appendTimeline } from './timeline.ts';

/** Sets who owns the incident: staff accounts that are not disabled. */
export async function setOwners(
  deps: Deps,
  id: string,
  userIds: string[],
  meta: Meta,
): Promise<IncidentDetail> {
  await deps.db.transaction().execute(async (tx) => {
    if (!(await lockIncidentRow(tx, id))) throw notFound('An incident with this id');
    const unique = [...new Set(userIds)];
    if ((await enabledStaffIds(tx, unique)).size !== unique.length) {
      throw new AppError('validation_failed', 'Owners must be active staff accounts.');
    }
    await replaceOwners(tx, id, unique);
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
  return getIncidentDetail(deps, id);
}
