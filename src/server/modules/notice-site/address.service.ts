import type { LinksRevoked, NoticeSlug } from '../../../shared/contracts/notice-site.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError } from '../../platform/errors.ts';
import { appendTimeline, changeIncidentSlug } from '../incidents/index.ts';
import { type Deps, type Meta, noticeIncident } from './notice.deps.ts';
import { revokeLinksIssuedBefore } from './notice.repository.ts';
import { wasEverPublished } from './versions.repository.ts';

/** The notice's address (`/n/<slug>`), and the personal links issued under it. */

/** Changes the address; refused once a version was published there (links to it are out). */
export async function setSlug(deps: Deps, incidentId: string, slug: string, meta: Meta): Promise<NoticeSlug> {
  return deps.db.transaction().execute(async (tx) => {
    await noticeIncident(tx, incidentId, { lock: true });
    if (await wasEverPublished(tx, incidentId)) {
      throw new AppError(
        'conflict',
        'The notice has been published at this address and links to it are out: the address can no longer change.',
      );
    }
    if ((await changeIncidentSlug(tx, incidentId, slug)) === 'taken')
      throw new AppError('conflict', `The address /n/${slug} is taken by another incident. Choose another.`);
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'notice.address_changed',
      requestId: meta.requestId,
      target: { type: 'incident', id: incidentId },
      details: { slug },
    });
    return { slug, publicUrl: `${deps.config.noticeUrl}/n/${slug}` };
  });
}

/** Every personal link of the incident issued until now stops working (a link leaked in bulk, say). */
export async function revokeAllLinks(deps: Deps, incidentId: string, meta: Meta): Promise<LinksRevoked> {
  return deps.db.transaction().execute(async (tx) => {
    await noticeIncident(tx, incidentId, { lock: true });
    const at = await revokeLinksIssuedBefore(tx, incidentId, new Date());
    await appendTimeline(tx, {
      incidentId,
      kind: 'notice',
      actor: meta.actor,
      summary:
        'All personal links issued so far were revoked; people can ask for new ones on the notice site.',
    });
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'notice.links_revoked',
      requestId: meta.requestId,
      target: { type: 'incident', id: incidentId },
    });
    return { revokedAt: at.toISOString() };
  });
}
