import type { FeedbackPage, NoticeStats } from '../../../shared/contracts/notice-site.ts';
import type { Db } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError } from '../../platform/errors.ts';
import { messageStates } from '../outbound/index.ts';
import { type Metric, metrics } from './counters.ts';
import { type Deps, type Meta, noticeIncident } from './notice.deps.ts';
import {
  countersSince,
  counterTotals,
  feedbackCommentsPage,
  feedbackRatings,
  subscriptionStates,
} from './notice.repository.ts';

/** What the public did on the site (counts per day, never who), and the feedback they left. */

type DayCounts = Record<Exclude<Metric, 'answersThrottled' | 'rateLimited'>, number>;
const shownMetrics = metrics.filter((m) => m !== 'answersThrottled' && m !== 'rateLimited') as Array<
  keyof DayCounts
>;

const countOf = <T extends string>(
  list: Array<{ n: string | number } & Record<string, unknown>>,
  key: string,
  value: T,
) => Number(list.find((r) => r[key] === value)?.n ?? 0);

export async function stats(db: Db, incidentId: string, days = 30): Promise<NoticeStats> {
  await noticeIncident(db, incidentId);
  const rows = await countersSince(db, incidentId, days);
  const totalsRows = await counterTotals(db, incidentId);
  const empty = (): DayCounts => Object.fromEntries(shownMetrics.map((m) => [m, 0])) as DayCounts;
  const byDay = new Map<string, DayCounts>();
  const today = new Date();
  for (let i = days - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - i));
    byDay.set(d.toISOString().slice(0, 10), empty());
  }
  for (const r of rows) {
    const day = byDay.get(r.day);
    if (day && r.metric in day) day[r.metric as keyof DayCounts] = r.n;
  }
  const totals = empty();
  for (const r of totalsRows) if (r.metric in totals) totals[r.metric as keyof DayCounts] = Number(r.n);
  const subs = await subscriptionStates(db, incidentId);
  const distribution: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  for (const r of await feedbackRatings(db, incidentId)) distribution[r.rating - 1] = Number(r.n);
  const count = distribution.reduce((a, b) => a + b, 0);
  const messageRows = await messageStates(db, incidentId);
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

const FEEDBACK_PAGE = 50;

/**
 * Feedback comments, newest first, decrypted for staff: the read is audited. The cursor is
 * `<updated_at ms>.<pn>`, so answers given in the same millisecond are never skipped at a page boundary.
 */
export async function feedbackComments(
  deps: Deps,
  incidentId: string,
  before: string | undefined,
  meta: Meta,
): Promise<FeedbackPage> {
  const cursor = before ? /^(\d+)\.(\d+)$/.exec(before) : null;
  if (before && !cursor) throw new AppError('bad_request', 'The page cursor is not one this list gave out.');
  const rows = await feedbackCommentsPage(
    deps.db,
    incidentId,
    cursor ? { at: new Date(Number(cursor[1])), pn: Number(cursor[2]) } : null,
    FEEDBACK_PAGE,
  );
  const comments = await Promise.all(
    rows.map(async (r) => ({
      rating: r.rating,
      comment: await deps.crypto.decrypt(r.comment_sealed, 'notice_feedback.comment'),
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
    nextBefore:
      rows.length === FEEDBACK_PAGE && last ? `${new Date(last.updated_at).getTime()}.${last.pn}` : null,
  };
}
