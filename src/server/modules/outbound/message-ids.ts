import type { Channel } from './outbound.types.ts';

/**
 * Deterministic Message-IDs (DESIGN invariant 4): derived from the row a message belongs to, so a message
 * re-sent after a crash carries the same id (the outbox stores it once; a mailbox can tell the copy), and
 * a bounce report or receipt finds its row again.
 */
export function messageIdHost(baseUrl: string): string {
  return new URL(baseUrl).hostname || 'candor.invalid';
}

/** A campaign notice: `<campaign.pn.channel@host>`, the host of CANDOR_PUBLIC_URL. */
export function campaignMessageId(campaignId: string, pn: number, channel: Channel, host: string): string {
  return `<${campaignId}.${pn}.${channel}@${host}>`;
}

/** Any other message (`outbound_messages` row): `<site.id@host>`, the host of the notice site. */
export function siteMessageId(noticeUrl: string, rowId: string | number): string {
  return `<site.${rowId}@${messageIdHost(noticeUrl)}>`;
}
