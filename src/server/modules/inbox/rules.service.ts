import { sql } from 'kysely';
import type {
  InboxSettings,
  InboxStats,
  TopicRule,
  TopicRuleInput,
} from '../../../shared/contracts/inbox.ts';
import type { Db } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { writeSetting } from '../../platform/settings/settings.ts';
import type { Meta } from './inbox.deps.ts';
import { forgetRules, INBOX_SETTINGS_KEY, readInboxSettings } from './ingest.ts';

/** Topic rules, SLA targets and the inbox's figures: what agents and admins tune. */

function dto(r: {
  id: string;
  topic: string;
  label: string;
  keywords: string[];
  weight: number;
  dsr_kind: 'access' | 'deletion' | null;
  enabled: boolean;
  updated_by: string;
  updated_at: Date;
}): TopicRule {
  return {
    id: r.id,
    topic: r.topic,
    label: r.label,
    keywords: r.keywords,
    weight: r.weight,
    dsrKind: r.dsr_kind,
    enabled: r.enabled,
    updatedBy: r.updated_by,
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

export async function listRules(db: Db): Promise<{ rules: TopicRule[] }> {
  return { rules: (await db.selectFrom('inbox_rules').selectAll().orderBy('topic').execute()).map(dto) };
}

export async function saveRule(
  db: Db,
  id: string | null,
  input: TopicRuleInput,
  meta: Meta,
): Promise<TopicRule> {
  const keywords = [...new Set(input.keywords.map((k) => k.trim().toLowerCase()).filter(Boolean))];
  if (keywords.length === 0) throw new AppError('bad_request', 'Give the rule at least one keyword.');
  const values = {
    topic: input.topic,
    label: input.label.trim(),
    keywords,
    weight: input.weight,
    dsr_kind: input.dsrKind,
    enabled: input.enabled,
    updated_by: meta.actor.label,
    updated_at: new Date(),
  };
  const row = await db.transaction().execute(async (tx) => {
    const clash = await tx
      .selectFrom('inbox_rules')
      .select('id')
      .where('topic', '=', values.topic)
      .$if(id !== null, (q) => q.where('id', '<>', id!))
      .executeTakeFirst();
    if (clash)
      throw new AppError('conflict', `A rule for the topic "${values.topic}" exists already: edit it.`);
    const saved = id
      ? await tx.updateTable('inbox_rules').set(values).where('id', '=', id).returningAll().executeTakeFirst()
      : await tx.insertInto('inbox_rules').values(values).returningAll().executeTakeFirst();
    if (!saved) throw notFound('The rule');
    await recordAudit(tx, {
      actor: meta.actor,
      action: id ? 'inbox.rule_updated' : 'inbox.rule_created',
      requestId: meta.requestId,
      details: { topic: values.topic, keywords: keywords.length },
    });
    return saved;
  });
  forgetRules();
  return dto(row);
}

export async function deleteRule(db: Db, id: string, meta: Meta) {
  await db.transaction().execute(async (tx) => {
    const row = await tx.deleteFrom('inbox_rules').where('id', '=', id).returning('topic').executeTakeFirst();
    if (!row) throw notFound('The rule');
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'inbox.rule_deleted',
      requestId: meta.requestId,
      details: { topic: row.topic },
    });
  });
  forgetRules();
  return { ok: true as const };
}

export async function getSettings(db: Db): Promise<InboxSettings> {
  return readInboxSettings(db);
}

export async function setSettings(db: Db, settings: InboxSettings, meta: Meta): Promise<InboxSettings> {
  await db.transaction().execute(async (tx) => {
    await writeSetting(tx, INBOX_SETTINGS_KEY, settings, meta.actor.label);
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'inbox.settings_changed',
      requestId: meta.requestId,
      details: { web: settings.slaHours.web, email: settings.slaHours.email, sms: settings.slaHours.sms },
    });
  });
  return settings;
}

export async function inboxStats(db: Db): Promise<InboxStats> {
  const days = await sql<{ day: string; received: string; answered: string }>`
    WITH d AS (SELECT generate_series((now() AT TIME ZONE 'UTC')::date - 29, (now() AT TIME ZONE 'UTC')::date, '1 day')::date AS day)
    SELECT to_char(d.day, 'YYYY-MM-DD') AS day,
      (SELECT count(*) FROM inbox_messages m WHERE m.direction = 'in' AND (m.created_at AT TIME ZONE 'UTC')::date = d.day) AS received,
      (SELECT count(*) FROM inbox_messages m WHERE m.direction = 'out' AND m.kind = 'message' AND (m.created_at AT TIME ZONE 'UTC')::date = d.day) AS answered
    FROM d ORDER BY d.day`.execute(db);
  const ratings = await db
    .selectFrom('inbox_threads')
    .select(['satisfaction', (eb) => eb.fn.countAll<string>().as('n')])
    .where('satisfaction', 'is not', null)
    .groupBy('satisfaction')
    .execute();
  const distribution: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  for (const r of ratings) distribution[r.satisfaction! - 1] = Number(r.n);
  const count = distribution.reduce((a, b) => a + b, 0);
  const median = await sql<{ minutes: number | null }>`
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - created_at) / 60) AS minutes
    FROM inbox_threads WHERE first_response_at IS NOT NULL`.execute(db);
  return {
    byDay: days.rows.map((r) => ({ day: r.day, received: Number(r.received), answered: Number(r.answered) })),
    satisfaction: {
      count,
      average:
        count > 0
          ? Math.round((distribution.reduce((a, n, i) => a + n * (i + 1), 0) / count) * 100) / 100
          : null,
      distribution,
    },
    medianFirstResponseMinutes:
      median.rows[0]?.minutes === null || median.rows[0]?.minutes === undefined
        ? null
        : Math.round(Number(median.rows[0].minutes)),
  };
}
