import type {
  EntityKind,
  IncidentMetrics,
  IncidentSummary,
  KeyTime,
  keyTimeProblems,
  PublicTitle,
} from '../../../shared/contracts/incidents.ts';
import type { IncidentsTable } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { IncidentRow } from './incidents.repository.ts';

/** Pure steps between an incident's row and what the API says of it. */

export const columnOf: Record<KeyTime, keyof IncidentsTable> = {
  occurredAt: 'occurred_at',
  occurredUntil: 'occurred_until',
  detectedAt: 'detected_at',
  awareAt: 'aware_at',
  containedAt: 'contained_at',
  plannedNoticeAt: 'planned_notice_at',
  firstNoticeAt: 'first_notice_at',
  closedAt: 'closed_at',
};

export const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/** Empty texts are the same as none: people then read the neutral default. */
export function cleanPublicTitle(publicTitle: PublicTitle | undefined): PublicTitle {
  return Object.fromEntries(Object.entries(publicTitle ?? {}).filter(([, v]) => v?.trim())) as PublicTitle;
}

export function invalidTimes(problems: ReturnType<typeof keyTimeProblems>): AppError {
  return new AppError('validation_failed', problems.map((p) => p.message).join(' '), {
    fields: problems.map((p) => ({ path: p.path, message: p.message })),
  });
}

export function toSummary(row: IncidentRow, people: number): IncidentSummary {
  return {
    id: row.id,
    title: row.title,
    publicTitle: row.public_title ?? {},
    description: row.description,
    status: row.status,
    severity: row.severity,
    awareAt: new Date(row.aware_at).toISOString(),
    occurredAt: iso(row.occurred_at),
    detectedAt: iso(row.detected_at),
    isDemo: row.is_demo,
    createdAt: new Date(row.created_at).toISOString(),
    people,
  };
}

const DAY = 86_400_000;
const daysBetween = (from: Date | string | null, to: Date | string | null) =>
  from && to ? Math.round(((new Date(to).getTime() - new Date(from).getTime()) / DAY) * 10) / 10 : null;

export function metricsOf(
  row: Pick<IncidentRow, 'occurred_at' | 'detected_at' | 'contained_at' | 'aware_at' | 'first_notice_at'>,
): IncidentMetrics {
  return {
    identifyDays: daysBetween(row.occurred_at, row.detected_at),
    containDays: daysBetween(row.detected_at, row.contained_at),
    notifyDays: daysBetween(row.aware_at, row.first_notice_at),
  };
}

/** The incident's own entity flags: null where the company profile's applies. */
export function entityFlagsOf(
  row: Pick<IncidentsTable, 'entity_hipaa' | 'entity_sec' | 'entity_nydfs' | 'entity_ftc_safeguards'>,
): Record<EntityKind, boolean | null> {
  return {
    hipaa: row.entity_hipaa,
    sec: row.entity_sec,
    nydfs: row.entity_nydfs,
    ftc_safeguards: row.entity_ftc_safeguards,
  };
}

/** Entity flags in effect: the incident's own, else the company profile's. */
export function effectiveEntity(
  own: Record<EntityKind, boolean | null>,
  profile: Record<EntityKind, boolean>,
): Record<EntityKind, boolean> {
  return {
    hipaa: own.hipaa ?? profile.hipaa,
    sec: own.sec ?? profile.sec,
    nydfs: own.nydfs ?? profile.nydfs,
    ftc_safeguards: own.ftc_safeguards ?? profile.ftc_safeguards,
  };
}
