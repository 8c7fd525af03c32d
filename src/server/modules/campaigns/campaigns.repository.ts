import { type Insertable, type RawBuilder, type Selectable, sql, type Updateable } from 'kysely';
import type { Channel, VariantRule } from '../../../shared/contracts/campaigns.ts';
import { categories } from '../../../shared/taxonomy.ts';
import type { Executor } from '../../db/database.ts';
import type { CampaignStatus, CampaignsTable } from '../../db/schema.ts';
import { audienceCellsOf, audienceOf } from '../people/index.ts';
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

/**
 * Preparing: the start time kept from the first start, the preparation from its beginning (`total`: the
 * people the incident has now, for progress). The rows come in batches (`recordPreparedBatch`).
 */
export async function markPreparing(db: Executor, campaignId: string, total: number): Promise<void> {
  await db
    .updateTable('campaigns')
    .set({
      status: 'preparing',
      started_at: sql`coalesce(started_at, now())`,
      scheduled_at: null,
      paused_reason: null,
      prepared_through_pn: null,
      prepared_people: 0,
      prepare_total: total,
      prepared_at: null,
      updated_at: new Date(),
    })
    .where('id', '=', campaignId)
    .execute();
}

/** The row of a preparing campaign, locked; undefined when it is not preparing or another holds it. */
export function lockPreparingCampaign(db: Executor, campaignId: string): Promise<CampaignRow | undefined> {
  return db
    .selectFrom('campaigns')
    .selectAll()
    .where('id', '=', campaignId)
    .where('status', '=', 'preparing')
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

export async function preparingCampaignIds(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('campaigns').select('id').where('status', '=', 'preparing').execute();
  return rows.map((r) => r.id);
}

/**
 * The next batch of the incident's people after `afterPn` (null: from the first), at most `limit`, in pn
 * order: how many and the last pn. Bounded by count rather than by pn range, so gaps in the numbering
 * (people merged away) make no empty or oversized batch.
 */
export async function nextPeopleBatch(
  db: Executor,
  incidentId: string,
  afterPn: number | null,
  limit: number,
): Promise<{ people: number; lastPn: number | null }> {
  let people = audienceOf(db, incidentId);
  if (afterPn !== null) people = people.where('pn', '>', afterPn);
  const row = await db
    .selectFrom(people.orderBy('pn').limit(limit).as('p'))
    .select([(eb) => eb.fn.countAll<string>().as('n'), (eb) => eb.fn.max('p.pn').as('last')])
    .executeTakeFirstOrThrow();
  return { people: Number(row.n), lastPn: row.last === null ? null : Number(row.last) };
}

/** A batch's rows committed: the checkpoint moves to its last pn, in the batch's transaction. */
export async function recordPreparedBatch(
  db: Executor,
  campaignId: string,
  batch: { lastPn: number; people: number; inserted: number },
): Promise<void> {
  await db
    .updateTable('campaigns')
    .set({
      prepared_through_pn: batch.lastPn,
      prepared_people: sql`prepared_people + ${batch.people}`,
      recipients: sql`coalesce(recipients, 0) + ${batch.inserted}`,
      updated_at: new Date(),
    })
    .where('id', '=', campaignId)
    .where('status', '=', 'preparing')
    .execute();
}

/** Every row exists: the campaign sends from now on (guarded: only while still preparing). */
export async function markPrepared(db: Executor, campaignId: string): Promise<boolean> {
  const moved = await db
    .updateTable('campaigns')
    .set({
      status: 'running',
      prepared_at: new Date(),
      prepare_total: sql`prepared_people`,
      updated_at: new Date(),
    })
    .where('id', '=', campaignId)
    .where('status', '=', 'preparing')
    .executeTakeFirst();
  return Number(moved.numUpdatedRows) === 1;
}

export function campaignState(db: Executor, campaignId: string) {
  return db
    .selectFrom('campaigns')
    .select([
      'status',
      'paused_reason',
      'incident_id',
      'started_at',
      'prepared_people',
      'prepare_total',
      'prepared_at',
    ])
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
  // Over the incident's weighted cells (people per combination of the columns the rules read), not every
  // person: the same counts from a few hundred rows.
  return db
    .selectFrom(audienceCellsOf(db, incidentId).as('p'))
    .select([
      variantCase(campaign.selection).as('variant_id'),
      firstChannelCase(campaign.channels).as('channel'),
      sql<string>`coalesce(sum(p.people), 0)`.as('n'),
      sql<string>`coalesce(sum(p.people) FILTER (WHERE (p.categories & ${campaign.activationCategories}) <> 0), 0)`.as(
        'needing_code',
      ),
      ...categories.map((c, i) =>
        sql<string>`coalesce(sum(p.people) FILTER (WHERE (p.categories & ${1 << i}) <> 0), 0)`.as(`c_${c}`),
      ),
    ])
    .groupBy([sql`1`, sql`2`])
    .execute();
}

/**
 * Each person of the incident whose pn is in (`afterPn`, `throughPn`] with their variant and first
 * reachable channel: what a batch of the start inserts (`afterPn` null: from the first person).
 */
export function chosenRecipients(
  db: Executor,
  incidentId: string,
  selection: Selection,
  channels: Channel[],
  range: { afterPn: number | null; throughPn: number },
): RawBuilder<unknown> {
  let people = audienceOf(db, incidentId).where('pn', '<=', range.throughPn);
  if (range.afterPn !== null) people = people.where('pn', '>', range.afterPn);
  return sql`SELECT p.incident_id, p.pn, p.locale, ${variantCase(selection)} AS variant_id, ${firstChannelCase(channels)} AS channel
             FROM ${people} p`;
}
