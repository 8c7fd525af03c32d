import {
  type EntityKind,
  type IncidentStatus,
  type KeyTime,
  keyTimes,
} from '../../../shared/contracts/incidents.ts';
import type { Executor } from '../../db/database.ts';
import type { IncidentCause, IncidentSeverity } from '../../db/schema.ts';
import { columnOf, entityFlagsOf } from './incident-view.ts';
import { findIncidentRow, lockIncidentRow } from './incidents.repository.ts';

/**
 * What the legal side reads of an incident (the obligations engine and the regulator-ready report): its
 * facts, key times, encryption and law-enforcement delay, and its own entity flags.
 */
export interface IncidentLegalFacts {
  id: string;
  title: string;
  description: string;
  status: IncidentStatus;
  cause: IncidentCause | null;
  severity: IncidentSeverity;
  systemsAffected: string[];
  /** Categories entered by hand (taxonomy bit mask): what the report names while no people are imported. */
  categoriesEntered: number;
  encryptedWithSafeKey: boolean;
  /** Only while a law-enforcement delay is recorded. */
  lawEnforcementDelayUntil: Date | null;
  awareAt: Date;
  times: Record<KeyTime, Date | null>;
  /** Null where the company profile's flag applies (`effectiveEntity`). */
  entity: Record<EntityKind, boolean | null>;
}

/** Undefined for an unknown incident. With `lock`, the row is held until the transaction ends. */
export async function incidentLegalFacts(
  db: Executor,
  incidentId: string,
  options: { lock: boolean } = { lock: false },
): Promise<IncidentLegalFacts | undefined> {
  const row = options.lock ? await lockIncidentRow(db, incidentId) : await findIncidentRow(db, incidentId);
  if (!row) return undefined;
  const date = (d: Date | string | null) => (d ? new Date(d) : null);
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    status: row.status,
    cause: row.cause,
    severity: row.severity,
    systemsAffected: row.systems_affected,
    categoriesEntered: row.categories_entered,
    encryptedWithSafeKey: row.encrypted_safe_key,
    lawEnforcementDelayUntil: row.law_enforcement_delay ? date(row.law_enforcement_delay_until) : null,
    awareAt: new Date(row.aware_at),
    times: Object.fromEntries(keyTimes.map((k) => [k, date(row[columnOf[k]] as Date | null)])) as Record<
      KeyTime,
      Date | null
    >,
    entity: entityFlagsOf(row),
  };
}
