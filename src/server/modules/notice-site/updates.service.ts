import type { NoticeUpdate, UpdateContent } from '../../../shared/contracts/notice-site.ts';
import type { Executor } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { appendTimeline } from '../incidents/index.ts';
import { authorRefusal } from './approval.service.ts';
import { enqueueUpdateNotices } from './messages.ts';
import { actorUserId, type Deps, type Meta, noticeIncident } from './notice.deps.ts';
import { updateOf } from './notice-view.ts';
import { renderSite } from './site.ts';
import {
  findUpdate,
  insertUpdate,
  lockUpdate,
  markUpdateApproved,
  markUpdatePublished,
  rewriteUpdate,
} from './updates.repository.ts';
import { hasPublishedVersion } from './versions.repository.ts';

/**
 * Updates under the published notice: written, approved by someone other than their author, then published
 * on the page and the feed at once, with one email per confirmed subscriber.
 */

async function getUpdate(db: Executor, incidentId: string, updateId: string): Promise<NoticeUpdate> {
  const row = await findUpdate(db, incidentId, updateId);
  if (!row) throw notFound('The update');
  return updateOf(row);
}

export async function createUpdate(deps: Deps, incidentId: string, content: UpdateContent, meta: Meta) {
  return deps.db.transaction().execute(async (tx) => {
    await noticeIncident(tx, incidentId);
    const id = await insertUpdate(tx, {
      incidentId,
      content: JSON.stringify(content),
      author: meta.actor.label,
      authorId: actorUserId(meta),
    });
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'notice.update_drafted',
      requestId: meta.requestId,
      target: { type: 'incident', id: incidentId },
      details: { updateId: id },
    });
    return getUpdate(tx, incidentId, id);
  });
}

export async function editUpdate(
  deps: Deps,
  incidentId: string,
  updateId: string,
  content: UpdateContent,
  meta: Meta,
) {
  return deps.db.transaction().execute(async (tx) => {
    const isRewritten = await rewriteUpdate(tx, incidentId, updateId, {
      content: JSON.stringify(content),
      author: meta.actor.label,
      authorId: actorUserId(meta),
    });
    if (!isRewritten) {
      await getUpdate(tx, incidentId, updateId);
      throw new AppError('conflict', 'This update is published; publish a new update to correct it.');
    }
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'notice.update_edited',
      requestId: meta.requestId,
      target: { type: 'incident', id: incidentId },
      details: { updateId },
    });
    return getUpdate(tx, incidentId, updateId);
  });
}

export async function approveUpdate(deps: Deps, incidentId: string, updateId: string, meta: Meta) {
  return deps.db.transaction().execute(async (tx) => {
    const row = await lockUpdate(tx, incidentId, updateId);
    if (!row) throw notFound('The update');
    if (row.status !== 'draft')
      throw new AppError('conflict', `This update is ${row.status}; only a draft can be approved.`);
    const approverId = actorUserId(meta);
    if (row.author_id && approverId === row.author_id) throw authorRefusal('update');
    await markUpdateApproved(tx, updateId, { label: meta.actor.label, id: approverId });
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'notice.update_approved',
      requestId: meta.requestId,
      target: { type: 'incident', id: incidentId },
      details: { updateId },
    });
    return getUpdate(tx, incidentId, updateId);
  });
}

/** Publishes an approved update: on the page and feed at once, and one email per confirmed subscriber. */
export async function publishUpdate(deps: Deps, incidentId: string, updateId: string, meta: Meta) {
  return deps.db.transaction().execute(async (tx) => {
    await noticeIncident(tx, incidentId, { lock: true });
    if (!(await hasPublishedVersion(tx, incidentId)))
      throw new AppError('conflict', 'Publish the notice first: updates appear under it.');
    if (!(await markUpdatePublished(tx, incidentId, updateId, meta.actor.label))) {
      const current = await getUpdate(tx, incidentId, updateId);
      throw new AppError(
        'conflict',
        current.status === 'draft'
          ? 'This update is not approved yet: legal must approve it before it is published.'
          : 'This update is already published.',
      );
    }
    const notified = await enqueueUpdateNotices(tx, incidentId, updateId);
    await renderSite(tx, incidentId, deps.config.noticeUrl);
    await appendTimeline(tx, {
      incidentId,
      kind: 'notice',
      actor: meta.actor,
      summary: `Update published on the public notice; ${notified} subscriber${notified === 1 ? '' : 's'} notified.`,
      details: { updateId, notified },
    });
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'notice.update_published',
      requestId: meta.requestId,
      target: { type: 'incident', id: incidentId },
      details: { updateId, notified },
    });
    return { ...(await getUpdate(tx, incidentId, updateId)), notified };
  });
}
