import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.ts';
import type { Logger } from '../../platform/logging/logger.ts';
import type { FailureWindows } from './auto-pause.ts';
import { type Batch, runPipelined } from './campaign-pipeline.ts';
import type { CampaignPort, ClaimedDelivery, SendingCampaign } from './campaign-port.ts';
import type { ComposePool } from './compose-pool.ts';
import {
  claimDeliveries,
  endDelivery,
  hasOpenDeliveries,
  insertFallbackDelivery,
  markSent,
  reachCounts,
  releaseDeliveries,
  renewDeliveryLeases,
  retryDeliveryLater,
} from './deliveries.repository.ts';
import { CAMPAIGN_PRIORITY } from './kinds.ts';
import { campaignMessageId, messageIdHost } from './message-ids.ts';
import type { Channel, Senders, SendOutcome } from './outbound.types.ts';
import type { ThrottleKey, Throttles } from './throttle.ts';

/**
 * The campaign lane of the outbound engine (DESIGN invariant 4). Workers claim batches of due rows of
 * sending campaigns with `FOR UPDATE SKIP LOCKED` and a lease (renewed while the batch is in flight), have
 * the campaign render them (its port), send them, and record the provider's acceptance with a guarded
 * update (`WHERE state = 'claimed' AND claimed_by = me`). A crashed worker's lease expires and its rows are
 * claimed again: nobody is skipped, and duplicates are bounded by the batch in flight (the next batch is
 * claimed and rendered while one sends, but sent only after that one settled). A hard failure moves the
 * person to the next channel that reaches them (a new row, same transaction). A campaign finishes only
 * when no row is pending or claimed.
 */
export interface EngineOptions {
  workerId?: string;
  batchSize?: number;
  leaseMs?: number;
  concurrency?: number;
  maxAttempts?: number;
  /** Threads that compose large batches of email ahead (default CANDOR_RENDER_THREADS; 0: none). */
  composeThreads?: number;
}

interface Deps {
  db: Db;
  logger: Logger;
  config: { publicUrl: string };
  senders: () => Senders;
  throttles: Throttles;
  /** Messages per second per channel's provider, across every process (CANDOR_SEND_RATES: email=, sms=). */
  providerRates: { email?: number | undefined; sms?: number | undefined };
  failures: FailureWindows;
  port: () => CampaignPort;
  /** Compose threads for large batches of email (none: nodemailer composes each message as it sends). */
  composer: () => ComposePool | undefined;
}

/**
 * Batches prepared ahead of the one sending: two keep the render thread, the compose thread and the
 * sending thread busy at once (measured with `npm run bench:send`). Claimed rows wait under their lease;
 * only sent, unsettled messages can be sent twice after a crash, and those are one batch at a time.
 */
const PIPELINE_DEPTH = 2;

type Result = { row: ClaimedDelivery; outcome: SendOutcome };

export const backoffMs = (attempt: number) => Math.min(30 * 60_000, 15_000 * 2 ** Math.max(0, attempt - 1));

export function createCampaignLane(deps: Deps, options: EngineOptions = {}) {
  const workerId =
    options.workerId ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const batchSize = options.batchSize ?? 200;
  const leaseMs = options.leaseMs ?? 120_000;
  const concurrency = options.concurrency ?? 16;
  const maxAttempts = options.maxAttempts ?? 6;

  /** Claims a batch and has the campaign render it; its lease is renewed until it settles. */
  async function claimBatch(campaign: SendingCampaign, channel: Channel): Promise<Batch | null> {
    const port = deps.port();
    const rows = await claimDeliveries(deps.db, {
      workerId,
      leaseMs,
      incidentId: campaign.incidentId,
      campaignId: campaign.id,
      channel,
      limit: batchSize,
      isSending: port.isSending(campaign.id),
    });
    if (rows.length === 0) return null;
    // While the batch is in flight its lease is renewed, so a slow batch is not taken over by another
    // worker (which would send it twice); only a dead worker's lease runs out.
    const heartbeat = setInterval(
      () => {
        renewDeliveryLeases(deps.db, {
          workerId,
          leaseMs,
          incidentId: campaign.incidentId,
          campaignId: campaign.id,
        }).catch((error: unknown) => deps.logger.warn({ err: error }, 'could not renew a delivery lease'));
      },
      Math.max(250, Math.floor(leaseMs / 3)),
    );
    try {
      const rendered = await port.render(campaign, channel, rows, workerId);
      return { campaign, channel, rows, rendered, heartbeat };
    } catch (error) {
      clearInterval(heartbeat);
      throw error;
    }
  }

  /** Composes a large batch's emails on the compose threads, while an earlier batch sends. */
  async function composeAhead({ channel, rendered }: Batch) {
    if (channel !== 'email' || deps.senders().email.kind !== 'smtp') return;
    const messages = rendered.rendered.flatMap(({ result }) => ('message' in result ? [result.message] : []));
    const composer = messages.length >= 64 ? deps.composer() : undefined;
    if (!composer) return;
    try {
      const composed = await composer.compose(messages);
      messages.forEach((message, i) => {
        message.composed = composed[i];
      });
    } catch (error) {
      // Each message is then composed while it is sent, as with small batches.
      deps.logger.warn({ err: error }, 'composing a batch ahead failed; composing while sending');
    }
  }

  function throttlesFor(campaign: SendingCampaign, channel: Channel): ThrottleKey[] {
    if (channel === 'letter') return [];
    const keys: ThrottleKey[] = [];
    const own = campaign.throttle[channel];
    if (own) keys.push({ key: `campaign:${campaign.id}:${channel}`, rate: own });
    const provider = deps.providerRates[channel];
    const sender = deps.senders()[channel];
    if (provider && sender.kind !== 'outbox')
      keys.push({ key: `provider:${channel}:${sender.kind}`, rate: provider });
    return keys;
  }

  async function send(batch: Batch): Promise<Result[]> {
    const { campaign, channel } = batch;
    const items = batch.rendered.rendered;
    const throttles = throttlesFor(campaign, channel);
    const results: Result[] = [];
    let next = 0;
    const worker = async () => {
      for (;;) {
        const item = items[next++];
        if (!item) return;
        const { row, result } = item;
        let outcome: SendOutcome;
        if ('missing' in result) {
          outcome = { ok: false, permanent: true, reason: result.missing };
        } else if ('error' in result) {
          outcome = { ok: false, permanent: false, reason: `could not render: ${result.error}` };
        } else {
          try {
            if (throttles.length > 0) await deps.throttles.take(throttles, CAMPAIGN_PRIORITY);
            outcome = await deps.senders()[channel].send(result.message);
          } catch (error) {
            outcome = { ok: false, permanent: false, reason: `could not send: ${(error as Error).name}` };
            deps.logger.warn(
              { err: error, campaignId: campaign.id, pn: row.pn, channel },
              'delivery attempt failed',
            );
          }
        }
        results.push({ row, outcome });
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
    return results;
  }

  async function settle(batch: Batch, results: Result[]) {
    const { campaign } = batch;
    const port = deps.port();
    const held = batch.rendered.held;
    await deps.db.transaction().execute(async (tx) => {
      const sent = results.filter((r) => r.outcome.ok);
      if (sent.length > 0) {
        await markSent(
          tx,
          workerId,
          { incidentId: campaign.incidentId, campaignId: campaign.id },
          sent.map((r) => ({
            pn: r.row.pn,
            channel: r.row.channel,
            providerId: (r.outcome as { providerId: string }).providerId,
          })),
        );
        await port.recordFirstSends(tx, campaign);
      }
      if (held && held.rows.length > 0) {
        await releaseDeliveries(tx, workerId, held.rows, 60_000);
        await port.pause(tx, campaign, { reason: held.reason, summary: held.summary, details: held.details });
      }
      for (const { row, outcome } of results) {
        if (outcome.ok) continue;
        if (!outcome.permanent && row.attempts < maxAttempts) {
          await retryDeliveryLater(
            tx,
            workerId,
            row,
            outcome.reason,
            new Date(Date.now() + backoffMs(row.attempts)),
          );
          continue;
        }
        await failOver(
          tx,
          { id: row.campaign_id, incident_id: row.incident_id },
          row,
          outcome.permanent ? outcome.reason : `gave up after ${row.attempts} attempts: ${outcome.reason}`,
          outcome.permanent ? 'bounced' : 'failed',
          'claim',
        );
      }
    });
    await pauseIfFailing(campaign, results);
  }

  /** Auto-pause when the share of transient failures among the last 200 attempts passes the threshold. */
  async function pauseIfFailing(campaign: SendingCampaign, results: Result[]) {
    const tripped = deps.failures.record(
      `campaign:${campaign.id}`,
      results.map((r) => !r.outcome.ok && !r.outcome.permanent),
      campaign.errorThreshold,
    );
    if (!tripped) return;
    const percent = Math.round(campaign.errorThreshold * 100);
    await deps.db
      .transaction()
      .execute((tx) =>
        deps.port().pause(tx, campaign, {
          reason: `Paused automatically: ${tripped.failures} of the last ${tripped.attempts} attempts failed (threshold ${percent}%). Check the errors and the provider, then resume.`,
          summary: `Campaign "${campaign.name}" paused automatically: too many failed sends.`,
          details: { failures: tripped.failures, attempts: tripped.attempts, threshold: percent },
        }),
      )
      .catch((error: unknown) => deps.logger.error({ err: error }, 'could not auto-pause a campaign'));
  }

  /** Sends a claimed batch and settles it; a batch whose campaign stopped meanwhile goes back untried. */
  async function sendAndSettle(batch: Batch, isPrefetched: boolean): Promise<number> {
    try {
      if (isPrefetched && !(await isStillSending(batch.campaign.id))) {
        await deps.db.transaction().execute((tx) => releaseDeliveries(tx, workerId, batch.rows, 0));
        return 0;
      }
      const results = await send(batch);
      await settle(batch, results);
      return batch.rows.length;
    } finally {
      clearInterval(batch.heartbeat);
    }
  }

  async function isStillSending(campaignId: string): Promise<boolean> {
    const { rows } = await sql<{ ok: boolean }>`SELECT ${deps.port().isSending(campaignId)} AS ok`.execute(
      deps.db,
    );
    return rows[0]?.ok === true;
  }

  /**
   * Ends a row (bounced or failed) and, if a later channel reaches the person, queues them there. From the
   * send path the row must still be this worker's claim; from a report it must have been sent.
   */
  async function failOver(
    tx: Executor,
    campaign: { id: string; incident_id: string },
    row: Pick<
      ClaimedDelivery,
      'incident_id' | 'campaign_id' | 'pn' | 'channel' | 'step' | 'variant_id' | 'locale'
    >,
    reason: string,
    finalState: 'bounced' | 'failed',
    from: 'claim' | 'report',
  ) {
    const nextChannel = await deps.port().nextChannel(tx, {
      campaignId: campaign.id,
      incidentId: campaign.incident_id,
      pn: row.pn,
      fromStep: row.step + 1,
    });
    const ended = await endDelivery(
      tx,
      row,
      { state: nextChannel ? 'fell_back' : finalState, reason },
      from === 'claim' ? { from, workerId } : { from },
    );
    if (!ended || !nextChannel) return;
    if (from === 'report') await deps.port().reopen(tx, row.campaign_id);
    const messageId = campaignMessageId(
      row.campaign_id,
      row.pn,
      nextChannel.channel,
      messageIdHost(deps.config.publicUrl),
    );
    await insertFallbackDelivery(tx, row, { ...nextChannel, messageId });
  }

  /** Finishes a running campaign once no row is pending or claimed; the campaign records what it means. */
  async function finishIfDone(campaign: SendingCampaign): Promise<void> {
    const port = deps.port();
    const result = await deps.db.transaction().execute(async (tx) => {
      if (!(await port.lockIfRunning(tx, campaign.id))) return null;
      if (await hasOpenDeliveries(tx, campaign.incidentId, campaign.id)) return null;
      const counts = await reachCounts(tx, campaign.incidentId, campaign.id);
      await port.finish(tx, campaign, counts);
      return counts;
    });
    if (result) {
      await port
        .afterFinish(campaign, result)
        .catch((error: unknown) =>
          deps.logger.error({ err: error, campaignId: campaign.id }, 'after-finish step failed'),
        );
    }
  }

  /** One pass over every sending campaign and channel, one batch each: returns rows handled. */
  async function runOnce(): Promise<number> {
    const campaigns = await deps.port().sendingCampaigns();
    let handled = 0;
    for (const campaign of campaigns) {
      let any = 0;
      for (const channel of campaign.channels) {
        const batch = await claimBatch(campaign, channel);
        if (batch) any += await sendAndSettle(batch, false);
      }
      handled += any;
      if (any === 0) await finishIfDone(campaign);
    }
    return handled;
  }

  return {
    workerId,
    runOnce,
    failOver,
    /**
     * Runs until the signal aborts, as `serve` and `worker` do: batches are claimed, rendered and composed
     * ahead while an earlier one sends (`campaign-pipeline.ts`); each is sent once the one before settled.
     */
    run: (signal: AbortSignal, idleMs = 1000) =>
      runPipelined(
        {
          sendingCampaigns: () => deps.port().sendingCampaigns(),
          claimBatch,
          composeAhead,
          sendAndSettle,
          release: async (batch) => {
            clearInterval(batch.heartbeat);
            await deps.db.transaction().execute((tx) => releaseDeliveries(tx, workerId, batch.rows, 0));
          },
          finishIfDone,
        },
        signal,
        { idleMs, depth: PIPELINE_DEPTH, logger: deps.logger },
      ),
  };
}

export type CampaignLane = ReturnType<typeof createCampaignLane>;
