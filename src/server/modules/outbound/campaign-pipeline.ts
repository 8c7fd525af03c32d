import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../platform/logging/logger.ts';
import type { ClaimedDelivery, RenderedBatch, SendingCampaign } from './campaign-port.ts';
import type { Channel } from './outbound.types.ts';

/** A claimed batch of one campaign and channel, rendered; its lease is renewed until it settles. */
export interface Batch {
  campaign: SendingCampaign;
  channel: Channel;
  rows: ClaimedDelivery[];
  rendered: RenderedBatch;
  heartbeat: NodeJS.Timeout;
}

/** The campaign lane's steps, as the loop below strings them together. */
export interface LaneSteps {
  sendingCampaigns(): Promise<SendingCampaign[]>;
  /** Claims a batch and renders it (the render thread); null when there is nothing due. */
  claimBatch(campaign: SendingCampaign, channel: Channel): Promise<Batch | null>;
  /** Composes its emails ahead (the compose thread). */
  composeAhead(batch: Batch): Promise<void>;
  sendAndSettle(batch: Batch, isPrefetched: boolean): Promise<number>;
  /** Gives a batch back untried (the loop stops). */
  release(batch: Batch): Promise<void>;
  finishIfDone(campaign: SendingCampaign): Promise<void>;
}

/**
 * Where the next batch comes from: round-robin over (campaign, channel); at the end of a round, campaigns
 * that had nothing to claim in it may be finished. Null when a round found nothing. Called one at a time.
 */
function createBatchSource(steps: LaneSteps) {
  let round: Array<{ campaign: SendingCampaign; channel: Channel }> = [];
  let at = 0;
  let busy = new Set<string>();
  return async function nextBatch(): Promise<Batch | null> {
    for (;;) {
      if (at >= round.length) {
        const ended = new Map(round.map((p) => [p.campaign.id, p.campaign]));
        for (const [id, campaign] of ended) if (!busy.has(id)) await steps.finishIfDone(campaign);
        const wasIdle = busy.size === 0;
        round = (await steps.sendingCampaigns()).flatMap((campaign) =>
          campaign.channels.map((channel) => ({ campaign, channel })),
        );
        at = 0;
        busy = new Set();
        if (wasIdle && ended.size > 0) return null;
        if (round.length === 0) return null;
      }
      const { campaign, channel } = round[at++]!;
      const batch = await steps.claimBatch(campaign, channel);
      if (batch) {
        busy.add(campaign.id);
        return batch;
      }
    }
  };
}

/**
 * The lane's loop until the signal aborts, pipelined: up to `depth` batches are being claimed, rendered and
 * composed while the current one sends (claims and renders one after another; composing overlaps the next
 * claim), so the database, the render thread, the compose thread and the sending thread work at once. A
 * batch is sent only after the one before it settled, so a crash resends at most one batch. Batches still
 * ahead when the loop stops go back at once rather than waiting for their lease.
 */
export async function runPipelined(
  steps: LaneSteps,
  signal: AbortSignal,
  options: { idleMs: number; depth: number; logger: Logger },
): Promise<void> {
  const nextBatch = createBatchSource(steps);
  let claims: Promise<unknown> = Promise.resolve();
  const ahead: Array<Promise<Batch | null>> = [];
  const schedule = () => {
    const claimed = claims.then(() => nextBatch());
    claims = claimed.catch(() => undefined);
    const ready = claimed.then(async (batch) => {
      if (batch) await steps.composeAhead(batch);
      return batch;
    });
    // Awaited in turn below; until then a rejection must not count as unhandled.
    ready.catch(() => undefined);
    ahead.push(ready);
  };
  let wasSending = false;
  while (!signal.aborted) {
    try {
      const isPrefetched = ahead.length > 0;
      if (ahead.length === 0) schedule();
      const batch = await ahead.shift()!;
      if (!batch) {
        if (!wasSending) await sleep(options.idleMs, undefined, { signal }).catch(() => undefined);
        wasSending = false;
        continue;
      }
      wasSending = true;
      while (ahead.length < options.depth) schedule();
      await steps.sendAndSettle(batch, isPrefetched);
    } catch (error) {
      options.logger.error({ err: error }, 'delivery pass failed; retrying');
      await sleep(options.idleMs, undefined, { signal }).catch(() => undefined);
    }
  }
  for (const pending of ahead.splice(0)) {
    const left = await pending.catch(() => null);
    if (!left) continue;
    await steps
      .release(left)
      .catch((error: unknown) => options.logger.warn({ err: error }, 'could not release a claimed batch'));
  }
}
