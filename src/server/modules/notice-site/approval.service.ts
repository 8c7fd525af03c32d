import { recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { appendTimeline } from '../incidents/index.ts';
import { actorUserId, type Deps, type Meta, noticeIncident } from './notice.deps.ts';
import { renderSite } from './site.ts';
import {
  lockVersion,
  markVersionApproved,
  publishInPlaceOfCurrent,
  versionState,
} from './versions.repository.ts';
import { getVersion, withConsistency } from './versions.service.ts';

/**
 * A version's approval by someone other than its author (legal), then its publication (comms): the page is
 * rendered in the publishing transaction, and the publication goes on the incident's timeline.
 */

export function authorRefusal(what: string): AppError {
  return new AppError(
    'forbidden',
    `You wrote this ${what}: someone else must approve it (every notice is approved by a second person).`,
  );
}

export async function approveVersion(deps: Deps, incidentId: string, versionId: string, meta: Meta) {
  return deps.db.transaction().execute(async (tx) => {
    const row = await lockVersion(tx, incidentId, versionId);
    if (!row) throw notFound('The notice version');
    if (row.status !== 'draft') {
      throw new AppError('conflict', `This version is ${row.status}; only a draft can be approved.`);
    }
    const approverId = actorUserId(meta);
    if (row.author_id && approverId === row.author_id) throw authorRefusal('version');
    const checked = await withConsistency(tx, incidentId, await getVersion(tx, incidentId, versionId));
    await markVersionApproved(tx, versionId, { label: meta.actor.label, id: approverId });
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'notice.version_approved',
      requestId: meta.requestId,
      target: { type: 'incident', id: incidentId },
      // The approver was shown these; the record keeps which (language, kind, category; never the text).
      details: {
        versionId,
        consistencyWarnings: checked.consistency.map((w) => `${w.locale}:${w.kind}:${w.category}`),
      },
    });
    return { ...(await getVersion(tx, incidentId, versionId)), consistency: checked.consistency };
  });
}

export async function publishVersion(deps: Deps, incidentId: string, versionId: string, meta: Meta) {
  return deps.db.transaction().execute(async (tx) => {
    await noticeIncident(tx, incidentId, { lock: true });
    const row = await versionState(tx, incidentId, versionId);
    if (!row) throw notFound('The notice version');
    if (row.status !== 'approved') {
      throw new AppError(
        'conflict',
        row.status === 'draft'
          ? 'This version is not approved yet: legal must approve it before it is published.'
          : `This version is ${row.status}; only an approved version can be published.`,
      );
    }
    await publishInPlaceOfCurrent(tx, incidentId, versionId, meta.actor.label);
    await renderSite(tx, incidentId, deps.config.noticeUrl);
    await appendTimeline(tx, {
      incidentId,
      kind: 'notice',
      actor: meta.actor,
      summary: `Public notice version ${row.number} published.`,
      details: { versionId },
    });
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'notice.version_published',
      requestId: meta.requestId,
      target: { type: 'incident', id: incidentId },
      details: { versionId, number: row.number },
    });
    return getVersion(tx, incidentId, versionId);
  });
}
