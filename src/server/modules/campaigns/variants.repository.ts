import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { CampaignVariantsTable } from '../../db/schema.ts';

/**
 * SQL of a campaign's variants (`campaign_variants`): their texts, versions and approvals. An approval
 * holds for one version; the guarded writes say whether they matched. The executor is the first argument.
 */
export type VariantRow = Selectable<CampaignVariantsTable>;

export function variantRows(db: Executor, campaignId: string): Promise<VariantRow[]> {
  return db.selectFrom('campaign_variants').selectAll().where('campaign_id', '=', campaignId).execute();
}

/** In order. */
export function orderedVariants(db: Executor, campaignId: string): Promise<VariantRow[]> {
  return db
    .selectFrom('campaign_variants')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .orderBy('position')
    .execute();
}

export async function deleteVariants(db: Executor, variantIds: readonly string[]): Promise<void> {
  if (variantIds.length === 0) return;
  await db
    .deleteFrom('campaign_variants')
    .where('id', 'in', [...variantIds])
    .execute();
}

/** Positions move through a negative range first so the unique (campaign, position) never collides. */
export async function parkVariantPositions(db: Executor, campaignId: string): Promise<void> {
  await db
    .updateTable('campaign_variants')
    .set({ position: sql`-1 - position` })
    .where('campaign_id', '=', campaignId)
    .execute();
}

export async function insertVariant(db: Executor, values: Insertable<CampaignVariantsTable>): Promise<void> {
  await db.insertInto('campaign_variants').values(values).execute();
}

/** Its new position; with `edit`, new texts at the next version, by a new author, its approval voided. */
export async function updateVariant(
  db: Executor,
  variantId: string,
  position: number,
  edit: Pick<
    Updateable<CampaignVariantsTable>,
    'is_default' | 'rule' | 'content' | 'author_id' | 'author'
  > | null,
): Promise<void> {
  await db
    .updateTable('campaign_variants')
    .set({
      position,
      ...(edit && {
        ...edit,
        version: sql`version + 1`,
        approved_version: null,
        approved_by_id: null,
        approved_by: null,
        approved_at: null,
        updated_at: new Date(),
      }),
    })
    .where('id', '=', variantId)
    .execute();
}

export async function variantNames(db: Executor, campaignId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('campaign_variants')
    .select('name')
    .where('campaign_id', '=', campaignId)
    .execute();
  return rows.map((r) => r.name);
}

/** Voids every approval of the campaign; returns the names of the variants that had one. */
export async function clearApprovals(db: Executor, campaignId: string): Promise<string[]> {
  const rows = await db
    .updateTable('campaign_variants')
    .set({ approved_version: null, approved_by_id: null, approved_by: null, approved_at: null })
    .where('campaign_id', '=', campaignId)
    .where('approved_version', 'is not', null)
    .returning('name')
    .execute();
  return rows.map((r) => r.name);
}

/** The variant's version, author and approval, locked until the transaction ends. */
export function lockVariant(db: Executor, campaignId: string, variantId: string) {
  return db
    .selectFrom('campaign_variants')
    .select(['id', 'name', 'version', 'author_id', 'author', 'approved_version'])
    .where('id', '=', variantId)
    .where('campaign_id', '=', campaignId)
    .forUpdate()
    .executeTakeFirst();
}

/** Approves this version, unless it changed or the approver is its author. False when the guard missed. */
export async function markVariantApproved(
  db: Executor,
  variantId: string,
  version: number,
  approver: { id: string; label: string },
): Promise<boolean> {
  const updated = await db
    .updateTable('campaign_variants')
    .set({
      approved_version: version,
      approved_by_id: approver.id,
      approved_by: approver.label,
      approved_at: new Date(),
    })
    .where('id', '=', variantId)
    .where('version', '=', version)
    .where('author_id', 'is distinct from', approver.id)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** What choosing each person's variant needs, in order. */
export function variantsForLaunch(db: Executor, campaignId: string) {
  return db
    .selectFrom('campaign_variants')
    .select(['id', 'is_default', 'rule', 'version', 'approved_version'])
    .where('campaign_id', '=', campaignId)
    .orderBy('position')
    .execute();
}

/** Variants not approved at their current version. */
export async function unapprovedVariantNames(db: Executor, campaignId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('campaign_variants')
    .select('name')
    .where('campaign_id', '=', campaignId)
    .where((eb) =>
      eb.or([eb('approved_version', 'is', null), eb('approved_version', '<>', eb.ref('version'))]),
    )
    .execute();
  return rows.map((r) => r.name);
}

/** The locales each variant is written in, by variant id. */
export async function variantLocales(db: Executor, campaignId: string): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom('campaign_variants')
    .select(['id', 'content'])
    .where('campaign_id', '=', campaignId)
    .execute();
  return new Map(rows.map((v) => [v.id, Object.keys(v.content)]));
}
