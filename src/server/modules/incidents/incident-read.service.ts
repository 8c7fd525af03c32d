import {
  type IncidentDetail,
  type IncidentSummary,
  keyTimes,
  statusTransitions,
} from '../../../shared/contracts/incidents.ts';
import { categoriesOf } from '../../../shared/taxonomy.ts';
import { notFound } from '../../platform/errors.ts';
import { staffEmails } from '../auth/index.ts';
import { readCompanyProfile } from './company-profile.ts';
import { columnOf, effectiveEntity, entityFlagsOf, iso, metricsOf, toSummary } from './incident-view.ts';
import type { Reader } from './incidents.deps.ts';
import { findIncidentRow, listIncidentRows, ownerIds } from './incidents.repository.ts';

/** Reading incidents: the list, one summary, and the detail the incident page shows. */

export async function findIncident(
  { db, people: facts }: Reader,
  id: string,
): Promise<IncidentSummary | undefined> {
  const row = await findIncidentRow(db, id);
  if (!row) return undefined;
  const people = await facts.counts(db, [id]);
  return toSummary(row, people.get(id) ?? 0);
}

export async function getIncident(reader: Reader, id: string): Promise<IncidentSummary> {
  const incident = await findIncident(reader, id);
  if (!incident) throw notFound('An incident with this id');
  return incident;
}

/** Newest first, each with its count of people. */
export async function listIncidents({ db, people: facts }: Reader): Promise<IncidentSummary[]> {
  const rows = await listIncidentRows(db);
  const people = await facts.counts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toSummary(row, people.get(row.id) ?? 0));
}

export async function getIncidentDetail({ db, people: facts }: Reader, id: string): Promise<IncidentDetail> {
  const row = await findIncidentRow(db, id);
  if (!row) throw notFound('An incident with this id');
  const [people, profile, mask, owners] = await Promise.all([
    facts.counts(db, [id]),
    readCompanyProfile(db),
    facts.exposedMask(db, id),
    ownerIds(db, id),
  ]);
  const emails = await staffEmails(db, owners);
  const fromPeople = mask !== null;
  return {
    ...toSummary(row, people.get(id) ?? 0),
    cause: row.cause,
    systemsAffected: row.systems_affected,
    categories: categoriesOf(fromPeople ? mask : row.categories_entered),
    categoriesSource: fromPeople ? 'people' : 'entered',
    categoriesEntered: categoriesOf(row.categories_entered),
    encryptedWithSafeKey: row.encrypted_safe_key,
    lawEnforcementDelay: row.law_enforcement_delay,
    lawEnforcementDelayUntil: iso(row.law_enforcement_delay_until),
    times: Object.fromEntries(
      keyTimes.map((k) => [k, iso(row[columnOf[k]] as Date | null)]),
    ) as IncidentDetail['times'],
    entity: entityFlagsOf(row),
    entityEffective: effectiveEntity(entityFlagsOf(row), profile.entity),
    entityDefault: profile.entity,
    owners: owners.flatMap((userId) => {
      const email = emails.get(userId);
      return email ? [{ id: userId, email }] : [];
    }),
    nextStatuses: [...statusTransitions[row.status]],
    metrics: metricsOf(row),
  };
}
