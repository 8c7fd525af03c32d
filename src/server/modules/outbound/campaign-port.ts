import type { RawBuilder } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { Channel, RenderedMessage } from './outbound.types.ts';

/**
 * What the campaign lane needs from the feature that owns campaigns, registered at composition time
 * (`outbound.serveCampaigns(port)`), so outbound never imports it: which campaigns send and how fast,
 * how a batch renders (variants, personal links, activation codes), the fallback chain, and the finish
 * and pause rules with their timeline and audit. Outbound owns the rows (`deliveries`) and the loop.
 */
export interface CampaignRef {
  id: string;
  incidentId: string;
  name: string;
}

export interface SendingCampaign extends CampaignRef {
  /** Fallback order: a hard failure moves the person to the next channel that reaches them. */
  channels: Channel[];
  /** The campaign's throttle per channel, messages per second across every process. */
  throttle: Partial<Record<Channel, number>>;
  /** Share of transient failures among recent attempts at which the campaign pauses itself. */
  errorThreshold: number;
}

/** A delivery row as a claim returns it. */
export interface ClaimedDelivery {
  incident_id: string;
  campaign_id: string;
  pn: number;
  channel: Channel;
  step: number;
  variant_id: string | null;
  locale: string | null;
  attempts: number;
  message_id: string;
  verification_code: string;
}

export type RenderResult = { message: RenderedMessage } | { missing: string } | { error: string };

export interface RenderedBatch {
  /** One result per row rendered, in the rows' order. */
  rendered: Array<{ row: ClaimedDelivery; result: RenderResult }>;
  /** Rows that cannot be rendered yet: released for a minute, and the campaign paused with this reason. */
  held?: { rows: ClaimedDelivery[]; reason: string; summary: string; details: Record<string, number> };
}

export interface CampaignPort {
  /** Starts scheduled campaigns whose time has come, then lists the running ones. */
  sendingCampaigns(): Promise<SendingCampaign[]>;
  /** SQL condition, true while the campaign may send: part of every claim, so a pause stops claims at once. */
  isSending(campaignId: string): RawBuilder<boolean>;
  /** Renders a claimed batch (the templates in their sandbox); `workerId` names the claim in the audit. */
  render(
    campaign: SendingCampaign,
    channel: Channel,
    rows: ClaimedDelivery[],
    workerId: string,
  ): Promise<RenderedBatch>;
  /** In the transaction that records a campaign's first sends (the incident's first notice time). */
  recordFirstSends(tx: Executor, campaign: CampaignRef): Promise<void>;
  /**
   * Pauses a running campaign (guarded), with its timeline entry and audit row, in `tx`; false when it was
   * not running.
   */
  pause(
    tx: Executor,
    campaign: CampaignRef,
    pause: { reason: string; summary: string; details: Record<string, number | string> },
  ): Promise<boolean>;
  /** The next channel of the fallback chain, from `fromStep` on, that reaches the person; null if none. */
  nextChannel(
    tx: Executor,
    target: { campaignId: string; incidentId: string; pn: number; fromStep: number },
  ): Promise<{ channel: Channel; step: number } | null>;
  /** A failure reported after the campaign finished reopens it: the next channel still has to be tried. */
  reopen(tx: Executor, campaignId: string): Promise<void>;
  /** Locks the campaign's row if it is running (the finish check holds it until commit). */
  lockIfRunning(tx: Executor, campaignId: string): Promise<boolean>;
  /** Marks it finished (guarded), with timeline and audit; outbound found nothing pending or claimed. */
  finish(tx: Executor, campaign: CampaignRef, result: { reached: number; missed: number }): Promise<void>;
  /** After the finish committed (the obligations it fulfils). */
  afterFinish(campaign: CampaignRef, result: { reached: number; missed: number }): Promise<void>;
  close(): Promise<void>;
}
