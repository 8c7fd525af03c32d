import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { companyNameUnsetWarning } from '../../platform/settings/branding.ts';
import { appendTimeline } from '../incidents/index.ts';
import { messageStates } from '../outbound/index.ts';
import { checkNotice } from './consistency.ts';
import {
  type Branding,
  type NoticeContent,
  noticeContentSchema,
  type SiteLocale,
  type UpdateContent,
  updateContentSchema,
} from './content.ts';
import { type Metric, metrics } from './counters.ts';
import { enqueueUpdateNotices } from './messages.ts';
import { selfContainedPreview } from './preview-page.ts';
import { renderNoticePage } from './render.ts';
import {
  frameFor,
  localesOf,
  publishedUpdates,
  readBranding,
  renderAllSites,
  renderSite,
  writeBranding,
} from './site.ts';

/**
 * The staff side of the notice site: drafts, approval by someone other than the author (legal), publication
 * (comms), updates, the public's counts and feedback, and the messages the site sent. Every change is
 * audited in its transaction; publications go on the incident's timeline.
 */
type Deps = Pick<PlatformContext, 'db' | 'crypto' | 'config'>;
interface Meta {
  actor: Actor;
  requestId?: string | undefined;
}

type VersionRow = {
  id: string;
  number: number;
  status: 'draft' | 'approved' | 'published' | 'superseded';
  content: unknown;
  author: string;
  author_id: string | null;
  approved_by: string | null;
  approved_at: Date | null;
  published_by: string | null;
  published_at: Date | null;
  created_at: Date;
  updated_at: Date;
};

const versionColumns = [
  'id',
  'number',
  'status',
  'content',
  'author',
  'author_id',
  'approved_by',
  'approved_at',
  'published_by',
  'published_at',
  'created_at',
  'updated_at',
] as const;

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

function summary(row: VersionRow) {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    author: row.author,
    authorId: row.author_id,
    approvedBy: row.approved_by,
    approvedAt: iso(row.approved_at),
    publishedBy: row.published_by,
    publishedAt: iso(row.published_at),
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

function version(row: VersionRow) {
  return { ...summary(row), content: noticeContentSchema.parse(row.content) };
}

/** A version with what its texts say that the data contradicts: legal sees it before approving. */
export async function withConsistency(db: Executor, incidentId: string, v: ReturnType<typeof version>) {
  return { ...v, consistency: await checkNotice(db, incidentId, v.content) };
}

type UpdateRow = Omit<VersionRow, 'number' | 'status'> & { status: 'draft' | 'approved' | 'published' };
const updateColumns = versionColumns.filter((c) => c !== 'number');

function update(row: UpdateRow) {
  return {
    id: row.id,
    status: row.status,
    content: updateContentSchema.parse(row.content),
    author: row.author,
    authorId: row.author_id,
    approvedBy: row.approved_by,
    approvedAt: iso(row.approved_at),
    publishedBy: row.published_by,
    publishedAt: iso(row.published_at),
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

async function incidentRow(db: Executor, incidentId: string, lock = false) {
  let q = db.selectFrom('incidents').select(['id', 'public_slug']).where('id', '=', incidentId);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('The incident');
  return row;
}

export async function overview(deps: Deps, incidentId: string) {
  const incident = await incidentRow(deps.db, incidentId);
  const rows = (await deps.db
    .selectFrom('notice_versions')
    .select(versionColumns)
    .where('incident_id', '=', incidentId)
    .orderBy('number', 'desc')
    .execute()) as VersionRow[];
  const updates = (await deps.db
    .selectFrom('notice_updates')
    .select(updateColumns)
    .where('incident_id', '=', incidentId)
    .orderBy('created_at', 'desc')
    .execute()) as UpdateRow[];
  const published = rows.find((r) => r.status === 'published');
  const pending = rows.find((r) => r.status === 'draft' || r.status === 'approved');
  const branding = await readBranding(deps.db);
  return {
    /** What staff must know before approving or publishing (the company name not set, say). */
    warnings: branding.isCompanyNameSet ? [] : [companyNameUnsetWarning],
    slug: incident.public_slug,
    publicUrl: `${deps.config.noticeUrl}/n/${incident.public_slug}`,
    canEditSlug: !rows.some((r) => r.published_at !== null),
    published: published ? summary(published) : null,
    pending: pending ? await withConsistency(deps.db, incidentId, version(pending)) : null,
    versions: rows.map(summary),
    updates: updates.map(update),
  };
}

export async function getVersion(db: Executor, incidentId: string, versionId: string) {
  const row = (await db
    .selectFrom('notice_versions')
    .select(versionColumns)
    .where('incident_id', '=', incidentId)
    .where('id', '=', versionId)
    .executeTakeFirst()) as VersionRow | undefined;
  if (!row) throw notFound('The notice version');
  return version(row);
}

/** Saves the draft; editing an approved (not yet published) version makes it a draft again. */
export async function saveDraft(deps: Deps, incidentId: string, content: NoticeContent, meta: Meta) {
  return deps.db.transaction().execute(async (tx) => {
    await incidentRow(tx, incidentId, true);
    const pending = await tx
      .selectFrom('notice_versions')
      .select(['id', 'status'])
      .where('incident_id', '=', incidentId)
      .where('status', 'in', ['draft', 'approved'])
      .executeTakeFirst();
    const authorId = meta.actor.type === 'user' ? meta.actor.id : null;
    let id: string;
    if (pending) {
      await tx
        .updateTable('notice_versions')
        .set({
          content: JSON.stringify(content),
          status: 'draft',
          approved_at: null,
          approved_by: null,
          approved_by_id: null,
          author: meta.actor.label,
          author_id: authorId,
          updated_at: new Date(),
        })
        .where('id', '=', pending.id)
        .execute();
      id = pending.id;
    } else {
      const last = await tx
        .selectFrom('notice_versions')
        .select((eb) => eb.fn.max('number').as('n'))
        .where('incident_id', '=', incidentId)
        .executeTakeFirst();
      const row = await tx
        .insertInto('notice_versions')
        .values({
          incident_id: incidentId,
          number: Number(last?.n ?? 0) + 1,
          content: JSON.stringify(content),
          author: meta.actor.label,
          author_id: authorId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = row.id;
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

export async function setSlug(deps: Deps, incidentId: string, slug: string, meta: Meta) {
  return deps.db.transaction().execute(async (tx) => {
    await incidentRow(tx, incidentId, true);
    const published = await tx
      .selectFrom('notice_versions')
      .select('id')
      .where('incident_id', '=', incidentId)
      .where('published_at', 'is not', null)
      .executeTakeFirst();
    if (published) {
      throw new AppError(
        'conflict',
        'The notice has been published at this address and links to it are out: the address can no longer change.',
      );
    }
    const taken = await tx
      .selectFrom('incidents')
      .select('id')
      .where('public_slug', '=', slug)
      .where('id', '<>', incidentId)
      .executeTakeFirst();
    if (taken)
      throw new AppError('conflict', `The address /n/${slug} is taken by another incident. Choose another.`);
    await tx.updateTable('incidents').set({ public_slug: slug }).where('id', '=', incidentId).execute();
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

function authorRefusal(what: string): AppError {
  return new AppError(
    'forbidden',
    `You wrote this ${what}: someone else must approve it (every notice is approved by a second person).`,
  );
}

export async function approveVersion(deps: Deps, incidentId: string, versionId: string, meta: Meta) {
  return deps.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('notice_versions')
      .select(['id', 'status', 'author_id'])
      .where('incident_id', '=', incidentId)
      .where('id', '=', versionId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('The notice version');
    if (row.status !== 'draft') {
      throw new AppError('conflict', `This version is ${row.status}; only a draft can be approved.`);
    }
    const approverId = meta.actor.type === 'user' ? meta.actor.id : null;
    if (row.author_id && approverId === row.author_id) throw authorRefusal('version');
    const checked = await withConsistency(tx, incidentId, await getVersion(tx, incidentId, versionId));
    await tx
      .updateTable('notice_versions')
      .set({
        status: 'approved',
        approved_by: meta.actor.label,
        approved_by_id: approverId,
        approved_at: new Date(),
        updated_at: new Date(),
      })
      .where('id', '=', versionId)
      .where('status', '=', 'draft')
      .execute();
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
    await incidentRow(tx, incidentId, true);
    const row = await tx
      .selectFrom('notice_versions')
      .select(['id', 'status', 'number'])
      .where('incident_id', '=', incidentId)
      .where('id', '=', versionId)
      .executeTakeFirst();
    if (!row) throw notFound('The notice version');
    if (row.status !== 'approved') {
      throw new AppError(
        'conflict',
        row.status === 'draft'
          ? 'This version is not approved yet: legal must approve it before it is published.'
          : `This version is ${row.status}; only an approved version can be published.`,
      );
    }
    await tx
      .updateTable('notice_versions')
      .set({ status: 'superseded', updated_at: new Date() })
      .where('incident_id', '=', incidentId)
      .where('status', '=', 'published')
      .execute();
    await tx
      .updateTable('notice_versions')
      .set({
        status: 'published',
        published_by: meta.actor.label,
        published_at: new Date(),
        updated_at: new Date(),
      })
      .where('id', '=', versionId)
      .where('status', '=', 'approved')
      .execute();
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

/** The page as the public would see it with this version (a draft included), for the console's preview. */
export async function preview(deps: Deps, incidentId: string, versionId: string, locale: SiteLocale) {
  const incident = await incidentRow(deps.db, incidentId);
  const v = await getVersion(deps.db, incidentId, versionId);
  const branding = await readBranding(deps.db);
  const locales = localesOf(v.content);
  const chosen = locales.includes(locale) ? locale : v.content.defaultLocale;
  const page = renderNoticePage(
    frameFor(incident.public_slug, chosen, locales, {
      companyName: branding.companyName,
      primaryColor: branding.primaryColor,
      hasLogo: branding.logo !== null,
    }),
    v.content,
    await publishedUpdates(deps.db, incidentId),
    v.publishedAt ? new Date(v.publishedAt) : new Date(),
  );
  return selfContainedPreview(page, branding);
}

// ---- Updates ----------------------------------------------------------------------------------------

async function getUpdate(db: Executor, incidentId: string, updateId: string) {
  const row = (await db
    .selectFrom('notice_updates')
    .select(updateColumns)
    .where('incident_id', '=', incidentId)
    .where('id', '=', updateId)
    .executeTakeFirst()) as UpdateRow | undefined;
  if (!row) throw notFound('The update');
  return update(row);
}

export async function createUpdate(deps: Deps, incidentId: string, content: UpdateContent, meta: Meta) {
  return deps.db.transaction().execute(async (tx) => {
    await incidentRow(tx, incidentId);
    const row = await tx
      .insertInto('notice_updates')
      .values({
        incident_id: incidentId,
        content: JSON.stringify(content),
        author: meta.actor.label,
        author_id: meta.actor.type === 'user' ? meta.actor.id : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'notice.update_drafted',
      requestId: meta.requestId,
      target: { type: 'incident', id: incidentId },
      details: { updateId: row.id },
    });
    return getUpdate(tx, incidentId, row.id);
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
    const result = await tx
      .updateTable('notice_updates')
      .set({
        content: JSON.stringify(content),
        status: 'draft',
        approved_at: null,
        approved_by: null,
        approved_by_id: null,
        author: meta.actor.label,
        author_id: meta.actor.type === 'user' ? meta.actor.id : null,
        updated_at: new Date(),
      })
      .where('incident_id', '=', incidentId)
      .where('id', '=', updateId)
      .where('status', 'in', ['draft', 'approved'])
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
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
    const row = await tx
      .selectFrom('notice_updates')
      .select(['status', 'author_id'])
      .where('incident_id', '=', incidentId)
      .where('id', '=', updateId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('The update');
    if (row.status !== 'draft')
      throw new AppError('conflict', `This update is ${row.status}; only a draft can be approved.`);
    const approverId = meta.actor.type === 'user' ? meta.actor.id : null;
    if (row.author_id && approverId === row.author_id) throw authorRefusal('update');
    await tx
      .updateTable('notice_updates')
      .set({
        status: 'approved',
        approved_by: meta.actor.label,
        approved_by_id: approverId,
        approved_at: new Date(),
      })
      .where('id', '=', updateId)
      .where('status', '=', 'draft')
      .execute();
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
    await incidentRow(tx, incidentId, true);
    const published = await tx
      .selectFrom('notice_versions')
      .select('id')
      .where('incident_id', '=', incidentId)
      .where('status', '=', 'published')
      .executeTakeFirst();
    if (!published) throw new AppError('conflict', 'Publish the notice first: updates appear under it.');
    const result = await tx
      .updateTable('notice_updates')
      .set({
        status: 'published',
        published_by: meta.actor.label,
        published_at: new Date(),
        updated_at: new Date(),
      })
      .where('incident_id', '=', incidentId)
      .where('id', '=', updateId)
      .where('status', '=', 'approved')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
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

// ---- What the public did ----------------------------------------------------------------------------

type DayCounts = Record<Exclude<Metric, 'answersThrottled' | 'rateLimited'>, number>;
const shownMetrics = metrics.filter((m) => m !== 'answersThrottled' && m !== 'rateLimited') as Array<
  keyof DayCounts
>;

export async function stats(db: Db, incidentId: string, days = 30) {
  await incidentRow(db, incidentId);
  const rows = await sql<{ day: string; metric: Metric; n: number }>`
    SELECT to_char(day, 'YYYY-MM-DD') AS day, metric, n FROM notice_counters
    WHERE incident_id = ${incidentId}::uuid AND day > (now() AT TIME ZONE 'UTC')::date - ${days}::int`.execute(
    db,
  );
  const totalsRows = await sql<{ metric: Metric; n: string }>`
    SELECT metric, sum(n)::text AS n FROM notice_counters WHERE incident_id = ${incidentId}::uuid GROUP BY metric`.execute(
    db,
  );
  const empty = (): DayCounts => Object.fromEntries(shownMetrics.map((m) => [m, 0])) as DayCounts;
  const byDay = new Map<string, DayCounts>();
  const today = new Date();
  for (let i = days - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - i));
    byDay.set(d.toISOString().slice(0, 10), empty());
  }
  for (const r of rows.rows) {
    const day = byDay.get(r.day);
    if (day && r.metric in day) day[r.metric as keyof DayCounts] = r.n;
  }
  const totals = empty();
  for (const r of totalsRows.rows) if (r.metric in totals) totals[r.metric as keyof DayCounts] = Number(r.n);
  const subs = await db
    .selectFrom('notice_subscriptions')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('incident_id', '=', incidentId)
    .groupBy('status')
    .execute();
  const feedbackRows = await db
    .selectFrom('notice_feedback')
    .select(['rating', (eb) => eb.fn.countAll<string>().as('n')])
    .where('incident_id', '=', incidentId)
    .groupBy('rating')
    .execute();
  const distribution: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  for (const r of feedbackRows) distribution[r.rating - 1] = Number(r.n);
  const count = distribution.reduce((a, b) => a + b, 0);
  const messageRows = await messageStates(db, incidentId);
  const countOf = <T extends string>(
    list: Array<{ n: string } & Record<string, unknown>>,
    key: string,
    value: T,
  ) => Number(list.find((r) => r[key] === value)?.n ?? 0);
  return {
    days: [...byDay.entries()].map(([day, counts]) => ({ day, ...counts })),
    totals,
    subscriptions: {
      pending: countOf(subs, 'status', 'pending'),
      confirmed: countOf(subs, 'status', 'confirmed'),
      unsubscribed: countOf(subs, 'status', 'unsubscribed'),
    },
    feedback: {
      count,
      average:
        count > 0
          ? Math.round((distribution.reduce((a, n, i) => a + n * (i + 1), 0) / count) * 100) / 100
          : null,
      distribution,
    },
    messages: {
      pending: countOf(messageRows, 'state', 'pending'),
      sent: countOf(messageRows, 'state', 'sent'),
      failed: countOf(messageRows, 'state', 'failed'),
      skipped: countOf(messageRows, 'state', 'skipped'),
    },
  };
}

/**
 * Feedback comments, newest first, decrypted for staff: the read is audited. The cursor is
 * `<updated_at ms>.<pn>`, so answers given in the same millisecond are never skipped at a page boundary.
 */
export async function feedbackComments(
  deps: Deps,
  incidentId: string,
  before: string | undefined,
  meta: Meta,
) {
  let q = deps.db
    .selectFrom('notice_feedback')
    .select(['pn', 'rating', 'comment_sealed', 'updated_at'])
    .where('incident_id', '=', incidentId)
    .where('comment_sealed', 'is not', null);
  const cursor = before ? /^(\d+)\.(\d+)$/.exec(before) : null;
  if (before && !cursor) throw new AppError('bad_request', 'The page cursor is not one this list gave out.');
  if (cursor) {
    q = q.where(
      sql<boolean>`(updated_at, pn) < (${new Date(Number(cursor[1]))}::timestamptz, ${Number(cursor[2])}::int)`,
    );
  }
  const rows = await q.orderBy('updated_at', 'desc').orderBy('pn', 'desc').limit(50).execute();
  const comments = await Promise.all(
    rows.map(async (r) => ({
      rating: r.rating,
      comment: await deps.crypto.decrypt(r.comment_sealed!, 'notice_feedback.comment'),
      at: new Date(r.updated_at).toISOString(),
    })),
  );
  if (comments.length > 0) {
    await deps.db.transaction().execute((tx) =>
      recordAudit(tx, {
        actor: meta.actor,
        action: 'notice.feedback_viewed',
        requestId: meta.requestId,
        target: { type: 'incident', id: incidentId },
        details: { comments: comments.length },
      }),
    );
  }
  const last = rows[rows.length - 1];
  return {
    comments,
    nextBefore: rows.length === 50 && last ? `${new Date(last.updated_at).getTime()}.${last.pn}` : null,
  };
}

/** Every personal link of the incident issued until now stops working (a link leaked in bulk, say). */
export async function revokeAllLinks(deps: Deps, incidentId: string, meta: Meta) {
  return deps.db.transaction().execute(async (tx) => {
    await incidentRow(tx, incidentId, true);
    const row = await sql<{ at: Date }>`
      INSERT INTO notice_sites (incident_id, links_valid_after) VALUES (${incidentId}::uuid, ${new Date()})
      ON CONFLICT (incident_id) DO UPDATE SET links_valid_after = EXCLUDED.links_valid_after
      RETURNING links_valid_after AS at`.execute(tx);
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
    return { revokedAt: new Date(row.rows[0]!.at).toISOString() };
  });
}

export async function getBranding(db: Db) {
  const b = await readBranding(db);
  return {
    /** Null while unset (people would read "Our company"): the console asks for it. */
    companyName: b.isCompanyNameSet ? b.companyName : null,
    primaryColor: b.primaryColor,
    logo: b.logo
      ? { contentType: b.logo.contentType, size: Buffer.from(b.logo.dataBase64, 'base64').length }
      : null,
  };
}

export const MAX_LOGO_BYTES = 200 * 1024;

/** Magic numbers of the accepted logo types: the bytes must be what the type says. */
function logoMatches(contentType: string, bytes: Buffer): boolean {
  if (contentType === 'image/png') return bytes.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex'));
  if (contentType === 'image/jpeg') return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  return (
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  );
}

export async function setBranding(
  deps: Deps,
  input: Omit<Branding, 'logo'> & { logo?: Branding['logo'] | undefined },
  meta: Meta,
) {
  const current = await readBranding(deps.db);
  const logo = input.logo === undefined ? current.logo : input.logo;
  if (logo && input.logo) {
    const bytes = Buffer.from(logo.dataBase64, 'base64');
    if (bytes.length > MAX_LOGO_BYTES) {
      throw new AppError(
        'bad_request',
        `The logo is ${Math.ceil(bytes.length / 1024)} kB; the limit is 200 kB.`,
      );
    }
    if (!logoMatches(logo.contentType, bytes)) {
      throw new AppError(
        'bad_request',
        `The logo is not a ${logo.contentType.slice(6).toUpperCase()} image.`,
      );
    }
  }
  await deps.db.transaction().execute(async (tx) => {
    await writeBranding(
      tx,
      { companyName: input.companyName, primaryColor: input.primaryColor, logo },
      meta.actor.label,
    );
    const sites = await renderAllSites(tx, deps.config.noticeUrl);
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'settings.branding_changed',
      requestId: meta.requestId,
      details: { logo: logo !== null, sitesRendered: sites },
    });
  });
  return getBranding(deps.db);
}
