import type { ConflictIdentifiersDto, ConflictRevealDto } from '../../../shared/contracts/people.ts';
import { maskDate, maskEmail, maskIdentifier, maskName, maskPhone } from '../../../shared/masking.ts';
import type { Executor } from '../../db/database.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import { PAYLOAD_CONTEXT } from './record-builder.ts';

/**
 * The identifiers of the two records of a conflict, so a person can decide Merge or Keep apart: masked on
 * the cards (a list read of personal data, audited per page), whole on an explicit reveal (audited per
 * conflict, with the fields shown). Decrypts the records' payloads; never logs or stores a value.
 */
type Payload = Record<string, string | undefined>;

function identifiersOf(payload: Payload): ConflictIdentifiersDto {
  const name =
    payload.full_name?.trim() ||
    [payload.first_name, payload.last_name].filter((part) => part?.trim()).join(' ') ||
    null;
  return {
    name,
    email: payload.email ?? null,
    phone: payload.phone ?? null,
    customerId: payload.customer_id ?? null,
    nationalId: payload.national_id ?? null,
    dateOfBirth: payload.date_of_birth ?? null,
    place: [payload.region, payload.country].filter((part) => part?.trim()).join(', ') || null,
  };
}

function masked(values: ConflictIdentifiersDto): ConflictIdentifiersDto {
  const mask = <T extends string>(value: T | null, how: (v: T) => string) => (value ? how(value) : null);
  return {
    name: mask(values.name, maskName),
    email: mask(values.email, maskEmail),
    phone: mask(values.phone, maskPhone),
    customerId: mask(values.customerId, maskIdentifier),
    nationalId: mask(values.nationalId, maskIdentifier),
    dateOfBirth: mask(values.dateOfBirth, maskDate),
    place: values.place,
  };
}

async function payloadsOf(
  tx: Executor,
  crypto: PlatformContext['crypto'],
  incidentId: string,
  rns: readonly number[],
): Promise<Map<number, ConflictIdentifiersDto>> {
  const found = new Map<number, ConflictIdentifiersDto>();
  if (rns.length === 0) return found;
  const rows = await tx
    .selectFrom('source_records')
    .select(['rn', 'payload'])
    .where('incident_id', '=', incidentId)
    .where('rn', 'in', [...new Set(rns)])
    .execute();
  for (const row of rows) {
    const payload = JSON.parse(await crypto.decrypt(row.payload, PAYLOAD_CONTEXT)) as Payload;
    found.set(Number(row.rn), identifiersOf(payload));
  }
  return found;
}

/** Masked identifiers of each listed conflict's records, keyed by record number; one audit entry per page. */
export async function maskedSides(
  tx: Executor,
  deps: Pick<PlatformContext, 'crypto'>,
  incidentId: string,
  conflicts: ReadonlyArray<{ rn_a: number; rn_b: number }>,
  meta: { actor: Actor; requestId?: string | undefined },
): Promise<Map<number, ConflictIdentifiersDto>> {
  const values = await payloadsOf(
    tx,
    deps.crypto,
    incidentId,
    conflicts.flatMap((c) => [Number(c.rn_a), Number(c.rn_b)]),
  );
  if (conflicts.length > 0) {
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'people.conflicts_viewed',
      requestId: meta.requestId,
      target: { type: 'incident', id: incidentId },
      details: { conflicts: conflicts.length, identifiersShown: 'masked' },
    });
  }
  return new Map([...values].map(([rn, v]) => [rn, masked(v)]));
}

/** Both records of one conflict, unmasked, for a person with `people:read_pii`; audited with the fields shown. */
export async function revealConflict(
  deps: Pick<PlatformContext, 'db' | 'crypto'>,
  conflictId: string,
  meta: { actor: Actor; requestId?: string | undefined },
): Promise<ConflictRevealDto> {
  return deps.db.transaction().execute(async (tx) => {
    const conflict = await tx
      .selectFrom('resolution_conflicts')
      .select(['incident_id', 'rn_a', 'rn_b'])
      .where('id', '=', conflictId)
      .executeTakeFirst();
    if (!conflict) throw notFound('A conflict with this id');
    const values = await payloadsOf(tx, deps.crypto, conflict.incident_id, [
      Number(conflict.rn_a),
      Number(conflict.rn_b),
    ]);
    const empty = identifiersOf({});
    const a = values.get(Number(conflict.rn_a)) ?? empty;
    const b = values.get(Number(conflict.rn_b)) ?? empty;
    const fields = (Object.keys(empty) as Array<keyof ConflictIdentifiersDto>).filter(
      (k) => a[k] !== null || b[k] !== null,
    );
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'people.conflict_revealed',
      requestId: meta.requestId,
      target: { type: 'resolution_conflict', id: conflictId },
      details: { incidentId: conflict.incident_id, fields },
    });
    return { a, b };
  });
}
