import {
  type Alert,
  type DecideRequest,
  type DecisionRecord,
  NOT_LEGAL_ADVICE,
  type Obligation,
  type ObligationsReport,
  obligationKinds,
} from '../../../shared/contracts/obligations.ts';
import type { Executor } from '../../db/database.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { staffNames } from '../auth/index.ts';
import {
  appendTimeline,
  effectiveEntity,
  incidentExists,
  incidentLegalFacts,
  openIncidents,
  readCompanyProfile,
} from '../incidents/index.ts';
import { peopleByJurisdictionAndExposure } from '../people/index.ts';
import { computeObligations } from './engine.ts';
import type { RulesData } from './rules/load.ts';

/**
 * Obligations for an incident: computed on every read from the live people counts (so a new import or a
 * resolved conflict moves them at once), merged with the decision records legal has taken.
 */
type Deps = Pick<PlatformContext, 'db'>;
interface Meta {
  actor: Actor;
  requestId?: string | undefined;
}

async function decisionsOf(db: Executor, incidentId: string): Promise<Map<string, DecisionRecord[]>> {
  const rows = await db
    .selectFrom('obligation_decisions')
    .select([
      'obligation_key',
      'status',
      'reasons',
      'evidence',
      'rules_version',
      'decided_at',
      'decided_by',
      'decided_by_id',
    ])
    .where('incident_id', '=', incidentId)
    .orderBy('id', 'desc')
    .execute();
  // Staff by their current name; tokens and the CLI by the label recorded.
  const names = await staffNames(
    db,
    rows.map((r) => r.decided_by_id),
  );
  const byKey = new Map<string, DecisionRecord[]>();
  for (const r of rows) {
    const list = byKey.get(r.obligation_key) ?? [];
    list.push({
      status: r.status,
      reasons: r.reasons,
      evidence: r.evidence,
      by: (r.decided_by_id && names.get(r.decided_by_id)) || r.decided_by,
      at: new Date(r.decided_at).toISOString(),
      rulesVersion: r.rules_version,
    });
    byKey.set(r.obligation_key, list);
  }
  return byKey;
}

export async function computeReport(
  db: Executor,
  rules: RulesData,
  incidentId: string,
  now = new Date(),
): Promise<ObligationsReport> {
  const incident = await incidentLegalFacts(db, incidentId);
  if (!incident) throw notFound('An incident with this id');
  const [profile, population, decisions] = await Promise.all([
    readCompanyProfile(db),
    peopleByJurisdictionAndExposure(db, incidentId),
    decisionsOf(db, incidentId),
  ]);
  const entity = effectiveEntity(incident.entity, profile.entity);
  const individualNotice = incident.times.firstNoticeAt
    ? { at: incident.times.firstNoticeAt, source: 'sent' as const }
    : incident.times.plannedNoticeAt
      ? { at: incident.times.plannedNoticeAt, source: 'planned' as const }
      : null;
  const leUntil = incident.lawEnforcementDelayUntil;
  const result = computeObligations(rules.regimes, {
    awareAt: incident.awareAt,
    timezone: profile.timezone,
    policyDays: profile.policyDays,
    encryptedWithSafeKey: incident.encryptedWithSafeKey,
    lawEnforcementDelayUntil: leUntil,
    entity,
    individualNotice,
    population,
  });
  const obligations: Obligation[] = result.obligations.map((o) => {
    const history = decisions.get(o.key) ?? [];
    const latest = history[0] ?? null;
    return { ...o, status: latest?.status ?? 'open', decision: latest, history };
  });
  return {
    incidentId,
    computedAt: now.toISOString(),
    rulesVersion: rules.version,
    disclaimer: NOT_LEGAL_ADVICE,
    basis: {
      timezone: profile.timezone,
      policyDays: profile.policyDays,
      awareAt: incident.awareAt.toISOString(),
      individualNoticeAt: individualNotice?.at.toISOString() ?? null,
      individualNoticeSource: individualNotice?.source ?? 'none',
      encryptedWithSafeKey: incident.encryptedWithSafeKey,
      lawEnforcementDelayUntil: leUntil?.toISOString() ?? null,
      entity,
      people: population.reduce((sum, c) => sum + c.people, 0),
      unknownJurisdiction: result.unknownJurisdiction,
    },
    obligations,
    notApplicable: result.notApplicable,
  };
}

const statusWords = { open: 'reopened', done: 'marked done', not_required: 'marked not required' } as const;

/**
 * Records a decision on one obligation. The incident row is locked so two decisions on one incident
 * serialize; the decision must change the status, and only obligations that currently apply can be decided.
 */
export async function decide(
  deps: Deps,
  rules: RulesData,
  incidentId: string,
  key: string,
  input: DecideRequest,
  meta: Meta,
): Promise<ObligationsReport> {
  await deps.db.transaction().execute(async (tx) => {
    if (!(await incidentExists(tx, incidentId, { lock: true }))) throw notFound('An incident with this id');
    const report = await computeReport(tx, rules, incidentId);
    const target = report.obligations.find((o) => o.key === key);
    if (!target) {
      // The notice itself, or its whole regime, may be listed as not applying.
      const skipped = report.notApplicable.find((n) => n.key === key || n.key === key.split(':')[0]);
      throw new AppError(
        skipped ? 'conflict' : 'not_found',
        skipped
          ? `${key} does not apply to this incident (${skipped.reason}); there is nothing to decide.`
          : `No obligation ${key} for this incident.`,
      );
    }
    if (target.status === input.status) {
      throw new AppError('conflict', `${key} is already ${input.status.replace('_', ' ')}.`);
    }
    await tx
      .insertInto('obligation_decisions')
      .values({
        incident_id: incidentId,
        obligation_key: key,
        status: input.status,
        reasons: input.reasons,
        evidence: input.evidence,
        rules_version: rules.version,
        decided_by_id: meta.actor.type === 'user' ? meta.actor.id : null,
        decided_by: meta.actor.label,
      })
      .execute();
    const why =
      input.status === 'not_required'
        ? ` Reasons: ${input.reasons}`
        : input.status === 'done'
          ? ` Evidence: ${input.evidence}`
          : '';
    await appendTimeline(tx, {
      incidentId,
      kind: 'obligation',
      actor: meta.actor,
      summary: `${target.regimeName} ${target.kind.replace('_', ' ')} notice ${statusWords[input.status]}.${why}`,
      details: { key, status: input.status },
    });
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'obligation.decided',
      requestId: meta.requestId,
      target: { type: 'incident', id: incidentId },
      details: { key, status: input.status, rulesVersion: rules.version },
    });
  });
  return computeReport(deps.db, rules, incidentId);
}

export async function upcoming(db: Executor, rules: RulesData) {
  const incidents = await openIncidents(db);
  const all = [];
  for (const incident of incidents) {
    const report = await computeReport(db, rules, incident.id);
    for (const o of report.obligations) {
      if (o.status === 'open') all.push({ ...o, incidentId: incident.id, incidentTitle: incident.title });
    }
  }
  all.sort(
    (a, b) =>
      (a.dueAt ? Date.parse(a.dueAt) : Number.POSITIVE_INFINITY) -
      (b.dueAt ? Date.parse(b.dueAt) : Number.POSITIVE_INFINITY),
  );
  return { obligations: all, disclaimer: NOT_LEGAL_ADVICE };
}

export async function recentAlerts(db: Executor, rules: RulesData, limit = 100): Promise<Alert[]> {
  const titles = new Map((await openIncidents(db)).map((i) => [i.id, i.title]));
  if (titles.size === 0) return [];
  const rows = await db
    .selectFrom('obligation_alerts')
    .select(['incident_id', 'obligation_key', 'level', 'due_at', 'raised_at'])
    .where('incident_id', 'in', [...titles.keys()])
    .orderBy('raised_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    incidentId: r.incident_id,
    incidentTitle: titles.get(r.incident_id)!,
    obligationKey: r.obligation_key,
    regimeName: rules.regimes.find((g) => g.id === r.obligation_key.split(':')[0])?.name ?? null,
    kind: (obligationKinds as readonly string[]).includes(r.obligation_key.split(':')[1] ?? '')
      ? (r.obligation_key.split(':')[1] as Alert['kind'])
      : null,
    level: r.level,
    dueAt: new Date(r.due_at).toISOString(),
    raisedAt: new Date(r.raised_at).toISOString(),
  }));
}
