import type { NoticeContent } from '../../../shared/contracts/notice-site.ts';
import type { Executor } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { notFound } from '../../platform/errors.ts';
import { checkNotice } from './consistency.ts';
import { actorUserId, type Deps, type Meta, noticeIncident } from './notice.deps.ts';
import { type VersionWithContent, versionOf } from './notice-view.ts';
import { findVersion, insertVersion, pendingVersion, rewriteVersion } from './versions.repository.ts';

/** The notice's versions: reading one, and writing the draft. */

export async function getVersion(db: Executor, incidentId: string, versionId: string) {
  const row = await findVersion(db, incidentId, versionId);
  if (!row) throw notFound('The notice version');
  return versionOf(row);
}

/** A version with what its texts say that the data contradicts: legal sees it before approving. */
export async function withConsistency(db: Executor, incidentId: string, v: VersionWithContent) {
  return { ...v, consistency: await checkNotice(db, incidentId, v.content) };
}

/** Saves the draft; editing an approved (not yet published) version makes it a draft again. */
export async function saveDraft(deps: Deps, incidentId: string, content: NoticeContent, meta: Meta) {
  return deps.db.transaction().execute(async (tx) => {
    await noticeIncident(tx, incidentId, { lock: true });
    const pending = await pendingVersion(tx, incidentId);
    const edit = { content: JSON.stringify(content), author: meta.actor.label, authorId: actorUserId(meta) };
    let id: string;
    if (pending) {
      await rewriteVersion(tx, pending.id, edit);
      id = pending.id;
    } else {
      id = await insertVersion(tx, { incidentId, ...edit });
    }
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'notice.draft_saved',
      requestId: meta.requestId,
      target: { type: 'incident', id: incidentId },
      details: { versionId: id, approvalCleared: pending?.status === 'approved' },
    });
    return withConsistency(tx, incidentId, await getVersion(tx, incidentId, id));
  });
}
