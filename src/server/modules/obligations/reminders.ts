import type { Alert } from '../../../shared/contracts/obligations.ts';
import type { Db } from '../../db/database.ts';
import { systemActor } from '../../platform/audit/audit-log.ts';
import type { Logger } from '../../platform/logging/logger.ts';
import type { StaffMailer } from '../../platform/mail/staff-mailer.ts';
import { activeStaffEmails } from '../auth/index.ts';
import { appendTimeline, incidentOwnerIds, openIncidents } from '../incidents/index.ts';
import { computeReport } from './obligations.service.ts';
import type { RulesData } from './rules/load.ts';

/**
 * Deadline reminders, run every minute by the job `obligations.deadline-reminders`: an open obligation
 * raises an alert when 72 hours remain, when 24 hours remain, and when it is overdue (only the most urgent
 * level it has reached, once per level and due time; a moved deadline raises afresh). Each alert lands on
 * the incident's timeline and is emailed to the incident's owners (to admins and legal when it has none).
 * A unique key makes concurrent passes safe; an email that fails is retried on the next pass.
 */
const HOUR = 3_600_000;

export function alertLevel(dueAt: Date, now: Date): Alert['level'] | null {
  const left = dueAt.getTime() - now.getTime();
  if (left <= 0) return 'overdue';
  if (left <= 24 * HOUR) return '24h';
  if (left <= 72 * HOUR) return '72h';
  return null;
}

const levelWords = {
  '72h': 'Due within 72 hours',
  '24h': 'Due within 24 hours',
  overdue: 'OVERDUE',
} as const;

export async function runReminders(
  deps: { db: Db; logger: Logger; mailer: StaffMailer; publicUrl: string },
  rules: RulesData,
  now = new Date(),
): Promise<{ raised: number; emailed: number }> {
  const incidents = await openIncidents(deps.db);
  let raised = 0;
  for (const incident of incidents) {
    const report = await computeReport(deps.db, rules, incident.id, now);
    for (const o of report.obligations) {
      if (o.status !== 'open' || !o.dueAt) continue;
      const due = new Date(o.dueAt);
      const level = alertLevel(due, now);
      if (!level) continue;
      const inserted = await deps.db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto('obligation_alerts')
          .values({ incident_id: incident.id, obligation_key: o.key, level, due_at: due, raised_at: now })
          .onConflict((oc) => oc.doNothing())
          .returning('level')
          .executeTakeFirst();
        if (!row) return false;
        await appendTimeline(tx, {
          incidentId: incident.id,
          kind: 'alert',
          actor: systemActor,
          summary: `${levelWords[level]}: ${o.regimeName} ${o.kind.replace('_', ' ')} notice (due ${o.dueAt}).`,
          details: { key: o.key, level, dueAt: o.dueAt },
        });
        return true;
      });
      if (inserted) raised += 1;
    }
  }
  const emailed = await sendPendingAlertMail(deps, now);
  return { raised, emailed };
}

/**
 * Emails alerts not yet sent, of incidents still open. Each is claimed with a guarded update first so two
 * workers do not both send it; a failed send releases the claim, a crashed sender's claim expires.
 */
async function sendPendingAlertMail(
  deps: { db: Db; logger: Logger; mailer: StaffMailer; publicUrl: string },
  now: Date,
): Promise<number> {
  const staleClaim = new Date(now.getTime() - 10 * 60_000);
  const titles = new Map((await openIncidents(deps.db)).map((i) => [i.id, i.title]));
  if (titles.size === 0) return 0;
  const pending = await deps.db
    .updateTable('obligation_alerts')
    .set({ email_claimed_at: now })
    .where('incident_id', 'in', [...titles.keys()])
    .where('emailed', '=', 0)
    .where((eb) => eb.or([eb('email_claimed_at', 'is', null), eb('email_claimed_at', '<', staleClaim)]))
    .where('raised_at', '>', new Date(now.getTime() - 24 * HOUR))
    .returning(['incident_id', 'obligation_key', 'level', 'due_at'])
    .execute();
  let sent = 0;
  for (const alert of pending) {
    const settle = (emailed: number) =>
      deps.db
        .updateTable('obligation_alerts')
        .set({ emailed, email_claimed_at: emailed > 0 ? now : null })
        .where('incident_id', '=', alert.incident_id)
        .where('obligation_key', '=', alert.obligation_key)
        .where('level', '=', alert.level)
        .where('due_at', '=', alert.due_at)
        .execute();
    try {
      const recipients = await recipientsFor(deps.db, alert.incident_id);
      const title = titles.get(alert.incident_id)!;
      const dueAt = new Date(alert.due_at).toISOString();
      await deps.mailer.send({
        to: recipients,
        purpose: 'obligation_alert',
        subject: `[Candor] ${levelWords[alert.level]}: ${alert.obligation_key} — ${title}`,
        text: [
          `${levelWords[alert.level]}: the ${alert.obligation_key} obligation of incident "${title}".`,
          `Due: ${dueAt}`,
          '',
          `Open the obligations: ${deps.publicUrl}/incidents/${alert.incident_id}/obligations`,
          '',
          'Candor computes deadlines from a research summary of breach laws; it is not legal advice.',
        ].join('\n'),
      });
      await settle(Math.max(1, recipients.length));
      sent += 1;
    } catch (error) {
      await settle(0);
      deps.logger.warn(
        { err: error, incidentId: alert.incident_id, key: alert.obligation_key },
        'alert email failed; retrying next pass',
      );
    }
  }
  return sent;
}

/** The incident's active owners, else every active admin and legal. */
async function recipientsFor(db: Db, incidentId: string): Promise<string[]> {
  const owners = await activeStaffEmails(db, { ids: await incidentOwnerIds(db, incidentId) });
  if (owners.length > 0) return owners;
  return activeStaffEmails(db, { roles: ['admin', 'legal'] });
}
