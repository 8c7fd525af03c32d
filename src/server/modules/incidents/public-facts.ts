import type { PublicTitle } from '../../../shared/contracts/incidents.ts';
import { type Category, categoriesOf } from '../../../shared/taxonomy.ts';
import type { Executor } from '../../db/database.ts';

/**
 * What other modules may tell affected people about an incident: the public title (never the internal one),
 * the description, the dates, the notice site's address, and the categories entered by hand. Notice
 * templates, macros and the notice site read these through the door rather than the table.
 */
export interface IncidentPublicFacts {
  id: string;
  slug: string;
  publicTitle: PublicTitle;
  description: string;
  /** Calendar dates, `YYYY-MM-DD`. */
  occurredOn: string | null;
  awareOn: string;
  categoriesEntered: Category[];
}

const day = (d: Date | string) => new Date(d).toISOString().slice(0, 10);

export async function incidentPublicFacts(
  db: Executor,
  incidentId: string,
): Promise<IncidentPublicFacts | undefined> {
  const row = await db
    .selectFrom('incidents')
    .select([
      'id',
      'public_slug',
      'public_title',
      'description',
      'occurred_at',
      'aware_at',
      'categories_entered',
    ])
    .where('id', '=', incidentId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    slug: row.public_slug,
    publicTitle: row.public_title ?? {},
    description: row.description,
    occurredOn: row.occurred_at ? day(row.occurred_at) : null,
    awareOn: day(row.aware_at),
    categoriesEntered: categoriesOf(row.categories_entered),
  };
}

/** The incident behind a notice site's address (`/n/<slug>`), published or not. */
export async function incidentBySlug(
  db: Executor,
  slug: string,
): Promise<{ id: string; slug: string } | undefined> {
  const row = await db
    .selectFrom('incidents')
    .select(['id', 'public_slug'])
    .where('public_slug', '=', slug)
    .executeTakeFirst();
  return row ? { id: row.id, slug: row.public_slug } : undefined;
}

/**
 * Every incident's notice address as a relation (`incident_id`, `slug`) to join in one statement: the notice
 * site's readers keyed by the address (the public page's revalidation stays one indexed query).
 */
export function incidentAddresses(db: Executor) {
  return db.selectFrom('incidents').select(['id as incident_id', 'public_slug as slug']);
}

/**
 * The incident's notice address. With `lock`, the incident's row is held until the transaction ends, so
 * changes to one incident's notice (drafts, publication, its address) queue behind each other.
 */
export async function incidentSlug(
  db: Executor,
  incidentId: string,
  options: { lock: boolean },
): Promise<string | undefined> {
  let q = db.selectFrom('incidents').select('public_slug').where('id', '=', incidentId);
  if (options.lock) q = q.forUpdate();
  return (await q.executeTakeFirst())?.public_slug;
}

/** Gives the incident's notice a new address, unless another incident has it ('taken'). */
export async function changeIncidentSlug(
  db: Executor,
  incidentId: string,
  slug: string,
): Promise<'changed' | 'taken'> {
  const taken = await db
    .selectFrom('incidents')
    .select('id')
    .where('public_slug', '=', slug)
    .where('id', '<>', incidentId)
    .executeTakeFirst();
  if (taken) return 'taken';
  await db.updateTable('incidents').set({ public_slug: slug }).where('id', '=', incidentId).execute();
  return 'changed';
}
