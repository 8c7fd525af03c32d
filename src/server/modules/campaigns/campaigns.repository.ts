import { type Insertable, type RawBuilder, type Selectable, sql, type Updateable } from 'kysely';
import type { Channel, VariantRule } from '../../../shared/contracts/campaigns.ts';
import { categories } from '../../../shared/taxonomy.ts';
import type { Executor } from '../../db/database.ts';
import type { CampaignStatus, CampaignsTable } from '../../db/schema.ts';
import { audienceOf } from '../people/index.ts';
import { firstChannelCase, variantCase } from './variants.ts';

/**
 * SQL of the campaigns (`campaigns`, `activation_codes`), and the set-based reads over the incident's
 * people that choose each person's variant and first channel. Status moves are guarded in SQL. The
 * executor is the first argument.
 */
export type CampaignRow = Selectable<CampaignsTable>;
type Selection = Array<{ id: string; isDefault: boolean; rule: VariantRule }>;

export function findCampaignRow(db: Executor, campaignId: string): Promise<CampaignRow | undefined> {
  return db.selectFrom('campaigns').selectAll().where('id', '=', campaignId).executeTakeFirst();
}

/** The row, locked until the transaction ends; with `from`, only while the campaign is in one of those. */
export function lockCampaignRow(
  db: Executor,
  campaignId: string,
  from?: readonly CampaignStatus[],
): Promise<CampaignRow | undefined> {
  let q = db.selectFrom('campaigns').selectAll().where('id', '=', campaignId);
  if (from) q = q.where('status', 'in', [...from]);
  return q.forUpdate().executeTakeFirst();
}

/** Newest first. */
export async function campaignIdsOf(db: Executor, incidentId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('campaigns')
    .select('id')
    .where('incident_id', '=', incidentId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => r.id);
}

export async function insertCampaign(db: Executor, values: Insertable<CampaignsTable>): Promise<string> {
  const row = await db.insertInto('campaigns').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateCampaignRow(
  db: Executor,
  campaignId: string,
  changes: Updateable<CampaignsTable>,
): Promise<void> {
  await db
    .updateTable('campaigns')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', campaignId)
    .execute();
}

/** Sets the status, guarded: only while the campaign is in one of `from`. False when the guard missed. */
export async function moveCampaignRow(
  db: Executor,
  campaignId: string,
  from: readonly CampaignStatus[],
  changes: Updateable<CampaignsTable>,
): Promise<boolean> {
  const moved = await db
    .updateTable('campaigns')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', campaignId)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(moved.numUpdatedRows) === 1;
}

/** Running: the start time kept from the first start, the recipients added. */
export async function markRunning(db: Executor, campaignId: string, recipients: number): Promise<void> {
  await db
    .updateTable('campaigns')
    .set({
      status: 'running',
      started_at: sql`coalesce(started_at, now())`,
      scheduled_at: null,
      paused_reason: null,
      recipients: sql`coalesce(recipients, 0) + ${recipients}`,
      updated_at: new Date(),
    })
    .where('id', '=', campaignId)
    .execute();
}

export function campaignState(db: Executor, campaignId: string) {
  return db
    .selectFrom('campaigns')
    .select(['status', 'paused_reason', 'incident_id'])
    .where('id', '=', campaignId)
    .executeTakeFirst();
}

export function activationCodeCounts(db: Executor, campaignId: string) {
  return db
    .selectFrom('activation_codes')
    .select([
      (eb) => eb.fn.countAll<string>().as('total'),
      (eb) => eb.fn.count<string>('assigned_pn').as('assigned'),
    ])
    .where('campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow();
}

/**
 * One pass over the incident's people: per variant and first reachable channel, how many, how many need an
 * activation code, and how many had each category exposed (for the consistency check legal sees).
 */
export function audienceCells(
  db: Executor,
  incidentId: string,
  campaign: { selection: Selection; channels: Channel[]; activationCategories: number },
) {
  return db
    .selectFrom(audienceOf(db, incidentId).as('p'))
    .select([
      variantCase(campaign.selection).as('variant_id'),
      firstChannelCase(campaign.channels).as('channel'),
      (eb) => eb.fn.countAll<string>().as('n'),
      sql<string>`count(*) FILTER (WHERE (p.categories & ${campaign.activationCategories}) <> 0)`.as(
        'needing_code',
      ),
      ...categories.map((c, i) =>
        sql<string>`count(*) FILTER (WHERE (p.categories & ${1 << i}) <> 0)`.as(`c_${c}`),
      ),
    ])
    .groupBy([sql`1`, sql`2`])
    .execute();
}

/** Each person of the incident with their variant and first reachable channel: what a start inserts. */
export function chosenRecipients(
  db: Executor,
  incidentId: string,
  selection: Selection,
  channels: Channel[],
): RawBuilder<unknown> {
  return sql`SELECT p.incident_id, p.pn, p.locale, ${variantCase(selection)} AS variant_id, ${firstChannelCase(channels)} AS channel
             FROM ${audienceOf(db, incidentId)} p`;
}
