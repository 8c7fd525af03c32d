import type { Channel, StateCounts, CampaignStatus as Status } from '../../../shared/contracts/campaigns.ts';

export const campaignStatusLabels: Record<Status, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  preparing: 'Preparing',
  running: 'Sending',
  paused: 'Paused',
  finished: 'Finished',
  cancelled: 'Cancelled',
};

export const campaignStatusColors: Record<Status, string> = {
  draft: 'gray',
  scheduled: 'violet',
  preparing: 'cyan',
  running: 'blue',
  paused: 'orange',
  finished: 'teal',
  cancelled: 'dark',
};

export const channelLabels: Record<Channel, string> = { email: 'Email', sms: 'SMS', letter: 'Letter' };

/** Delivery states in the order a message moves through them, with words for the people reading counts. */
export const deliveryStates: Array<{ key: keyof StateCounts; label: string; color: string; hint: string }> = [
  { key: 'delivered', label: 'Delivered', color: 'teal', hint: 'Confirmed by the provider' },
  { key: 'sent', label: 'Sent', color: 'blue', hint: 'Handed to the channel' },
  { key: 'claimed', label: 'Sending', color: 'cyan', hint: 'Being sent right now' },
  { key: 'pending', label: 'Waiting', color: 'gray', hint: 'Not sent yet' },
  { key: 'fellBack', label: 'Fell back', color: 'grape', hint: 'Failed here, tried on the next channel' },
  { key: 'bounced', label: 'Bounced', color: 'orange', hint: 'Refused by the recipient’s server' },
  { key: 'failed', label: 'Failed', color: 'red', hint: 'Could not be sent on any channel' },
  { key: 'suppressed', label: 'Not sent', color: 'dark', hint: 'No channel reaches the person' },
];

/** Messages that have left: the share of people done. */
export function doneCount(counts: StateCounts): number {
  return counts.sent + counts.delivered + counts.bounced + counts.failed + counts.suppressed;
}

export const isLive = (status: Status) =>
  status === 'running' || status === 'paused' || status === 'scheduled';

/** Statuses that move by themselves (preparing → running → finished): the console follows them. */
export const isMoving = (status: Status) =>
  status === 'running' || status === 'preparing' || status === 'scheduled';
