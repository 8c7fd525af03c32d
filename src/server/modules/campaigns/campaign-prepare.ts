import { setTimeout as sleep } from 'node:timers/promises';
import type { VariantRule } from '../../../shared/contracts/campaigns.ts';
import type { Executor } from '../../db/database.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { insertCampaignDeliveries, messageIdHost } from '../outbound/index.ts';
import {
  type CampaignRow,
  campaignState,
  chosenRecipients,
  lockPreparingCampaign,
  markPrepared,
  nextPeopleBatch,
  recordPreparedBatch,
} from './campaigns.repository.ts';
import { variantsForLaunch } from './variants.repository.ts';

/**
 * A started campaign's delivery rows, created in bounded batches (issue 21). One INSERT … SELECT over 19M
 * people held the campaign's row and every new row in one transaction for minutes; now each batch takes
 * the next `batchSize` people in pn order after the checkpoint (`prepared_through_pn`), inserts their rows
 * and moves the checkpoint in one transaction. A crash loses the batch in flight only, and the next pass
 * resumes after the checkpoint; the deliveries' primary key (incident, campaign, pn, channel) with ON
 * CONFLICT DO NOTHING keeps one row per person and channel even when a batch runs twice.
 *
 * The start's own transaction prepares the first batch (a campaign of fewer people than a batch starts
 * sending at once, as before); the rest runs in the background, driven by the campaign lane's pass
 * (`outbound-port.ts` `sendingCampaigns` kicks every preparing campaign), so it runs where delivery runs
 * and a process that died mid-way is taken over by the next pass of any worker. The campaign sends only
 * once every row exists: the engine finishes a campaign when no row is pending, which a half-prepared one
 * would wrongly satisfy between batches.
 */

/** Rows per transaction: about a second of inserts into `deliveries` and its indexes on a small machine. */
export const PREPARE_BATCH = 20_000;

type PrepareDeps = Pick<PlatformContext, 'db' | 'config' | 'logger'>;

/**
 * One batch of a preparing campaign whose row the transaction holds locked: the next people after the
 * checkpoint get their rows, and the checkpoint moves. `isDone` when this batch reached the last person
 * (the campaign then runs).
 */
export async function prepareBatch(
  tx: Executor,
  deps: Pick<PlatformContext, 'config'>,
  row: CampaignRow,
  batchSize: number,
): Promise<{ people: number; isDone: boolean }> {
  const variants = await variantsForLaunch(tx, row.id);
  if (variants.length === 0 || variants.some((v) => v.approved_version !== v.version)) {
    throw new AppError(
      'conflict',
      'Every variant must be approved at its current version before the campaign starts.',
    );
  }
  const selection = variants.map((v) => ({ id: v.id, isDefault: v.is_default, rule: v.rule as VariantRule }));
  const afterPn = row.prepared_through_pn;
  const batch = await nextPeopleBatch(tx, row.incident_id, afterPn, batchSize);
  if (batch.lastPn !== null) {
    const inserted = await insertCampaignDeliveries(tx, {
      campaignId: row.id,
      channels: row.channels,
      host: messageIdHost(deps.config.publicUrl),
      chosen: chosenRecipients(tx, row.incident_id, selection, row.channels, {
        afterPn,
        throughPn: batch.lastPn,
      }),
    });
    await recordPreparedBatch(tx, row.id, { lastPn: batch.lastPn, people: batch.people, inserted });
  }
  // A short batch reached the end: people imported after this moment are not in the campaign, as when
  // every row came from one statement at the start.
  const isDone = batch.people < batchSize;
  if (isDone) await markPrepared(tx, row.id);
  return { people: batch.people, isDone };
}

export interface Preparations {
  /** Prepares these campaigns in the background, those not already being prepared here. */
  kick(campaignIds: readonly string[]): void;
  /** Waits for the preparations running in this process. */
  drain(): Promise<void>;
  /**
   * Prepares a started campaign to its end in the caller (the CLI, benchmarks), waiting while another
   * process holds it; resolves once it is no longer preparing (running, or paused or cancelled meanwhile).
   */
  finish(campaignId: string): Promise<void>;
  /** Stops after the batches in flight (the next pass, here or elsewhere, resumes from the checkpoint). */
  close(): Promise<void>;
}

export function createPreparations(deps: PrepareDeps, options: { batchSize: number }): Preparations {
  const running = new Map<string, Promise<void>>();
  let isClosed = false;

  /** Batch after batch, each its own transaction, until done, no longer preparing, or held elsewhere. */
  async function prepare(campaignId: string): Promise<void> {
    while (!isClosed) {
      const step = await deps.db.transaction().execute(async (tx) => {
        // SKIP LOCKED: another process (or a pause) holds the row; whoever holds it goes on.
        const row = await lockPreparingCampaign(tx, campaignId);
        if (!row) return 'stop';
        const batch = await prepareBatch(tx, deps, row, options.batchSize);
        return batch.isDone ? 'stop' : 'more';
      });
      if (step === 'stop') return;
    }
  }

  return {
    kick(campaignIds) {
      for (const campaignId of campaignIds) {
        if (isClosed || running.has(campaignId)) continue;
        const work = prepare(campaignId)
          .catch((error: unknown) =>
            deps.logger.warn(
              { err: error, campaignId },
              'campaign preparation stopped; the next pass resumes it from its checkpoint',
            ),
          )
          .finally(() => running.delete(campaignId));
        running.set(campaignId, work);
      }
    },
    async finish(campaignId) {
      while (!isClosed) {
        await running.get(campaignId);
        await prepare(campaignId);
        if ((await campaignState(deps.db, campaignId))?.status !== 'preparing') return;
        await sleep(100);
      }
    },
    async drain() {
      while (running.size > 0) await Promise.all([...running.values()]);
    },
    async close() {
      isClosed = true;
      await Promise.all([...running.values()]);
    },
  };
}
