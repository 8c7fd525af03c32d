import { type SelectQueryBuilder, sql } from 'kysely';
import type { z } from 'zod';
import type { ListedPersonDto, peopleListQuery } from '../../../shared/contracts/people.ts';
import { maskEmail, maskPhone } from '../../../shared/masking.ts';
import { categories } from '../../../shared/taxonomy.ts';
import type { Database } from '../../db/schema.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { contactsFor } from './contacts.ts';
import { type PersonRow, personColumns, toPerson } from './people.service.ts';

type Query = z.output<typeof peopleListQuery>;

/**
 * Person numbers walked in index order before the page query gives up on the index. A filter that matches
 * often fills a page within it (about 1 ms); a rare one (a category 0.1% of people carry, or none) would
 * make a walk of the primary key visit every person (470 ms on 1M people, measured), so the rest is read
 * by a scan and sorted instead (80–100 ms on 1M, measured). The planner cannot tell rare from common for
 * a bitmask test, so the list decides.
 */
const INDEX_WINDOW = 20_000;

function filtered<O>(q: SelectQueryBuilder<Database, 'people', O>, incidentId: string, query: Query) {
  let f = q.where('people.incident_id', '=', incidentId);
  if (query.category) {
    const bit = 1 << categories.indexOf(query.category);
    f = f.where(sql<boolean>`people.categories & ${sql.lit(bit)} <> 0`);
  }
  if (query.jurisdiction) f = f.where('people.jurisdiction', '=', query.jurisdiction);
  if (query.risk) f = f.where('people.risk_tier', '=', query.risk);
  if (query.reach === 'email') f = f.where('people.reachable_email', '=', true);
  else if (query.reach === 'phone') f = f.where('people.reachable_phone', '=', true);
  else if (query.reach === 'postal') f = f.where('people.reachable_postal', '=', true);
  else if (query.reach === 'none') {
    f = f.where(
      sql<boolean>`NOT (people.reachable_email OR people.reachable_phone OR people.reachable_postal)`,
    );
  }
  return f;
}

/**
 * One page of an incident's affected people, by person number, filtered by exposed category, jurisdiction,
 * risk tier and reachability. With `mayReadPii`, each person's most recent email and phone are decrypted
 * and shown masked; the page read is then a read of personal data. Every page view is audited, in the
 * transaction that reads it.
 */
export async function listPeople(
  deps: Pick<PlatformContext, 'db' | 'crypto'>,
  incidentId: string,
  query: Query,
  meta: { actor: Actor; requestId?: string | undefined; mayReadPii: boolean },
): Promise<{ people: ListedPersonDto[]; nextAfter: number | null; total: number | null }> {
  const want = query.limit + 1;
  // The total is counted on the first page only, beside the page (another connection: it is no PII read).
  const total =
    query.after === 0
      ? filtered(deps.db.selectFrom('people'), incidentId, query)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
          .then((r) => Number(r.n))
      : Promise.resolve(null);
  const page = deps.db.transaction().execute(async (tx) => {
    const windowEnd = query.after + INDEX_WINDOW;
    let rows = (await filtered(tx.selectFrom('people'), incidentId, query)
      .select(personColumns)
      .where('people.pn', '>', query.after)
      .where('people.pn', '<=', windowEnd)
      .orderBy('people.pn')
      .limit(want)
      .execute()) as PersonRow[];
    if (rows.length < want) {
      const rest = (await filtered(tx.selectFrom('people'), incidentId, query)
        .select(personColumns)
        .where('people.pn', '>', windowEnd)
        // `pn + 0` keeps the planner off the primary-key walk (see INDEX_WINDOW).
        .orderBy(sql`people.pn + 0`)
        .limit(want - rows.length)
        .execute()) as PersonRow[];
      rows = [...rows, ...rest];
    }
    const shown = rows.slice(0, query.limit);
    const contacts = meta.mayReadPii
      ? await contactsFor(
          tx,
          deps.crypto,
          incidentId,
          shown.map((r) => r.pn),
        )
      : null;
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'people.list_viewed',
      requestId: meta.requestId,
      target: { type: 'incident', id: incidentId },
      details: {
        people: shown.length,
        after: query.after,
        identifiersShown: contacts !== null,
        filters: (['category', 'jurisdiction', 'risk', 'reach'] as const).filter(
          (k) => query[k] !== undefined,
        ),
      },
    });
    return {
      people: shown.map((row) => {
        const contact = contacts?.get(row.pn);
        return {
          ...toPerson(row),
          masked: contacts
            ? {
                email: contact?.email ? maskEmail(contact.email) : null,
                phone: contact?.phone ? maskPhone(contact.phone) : null,
              }
            : null,
        };
      }),
      nextAfter: rows.length > query.limit ? shown[shown.length - 1]!.pn : null,
    };
  });
  const [result, count] = await Promise.all([page, total]);
  return { ...result, total: count };
}
