import type {
  DsrKind,
  InboxChannel,
  InboxDeliveryState,
  MacroLocale,
  ThreadStatus,
  VerificationState,
} from '../../../shared/contracts/inbox.ts';

export const threadStatusLabels: Record<ThreadStatus, string> = {
  open: 'Open',
  pending: 'Pending',
  solved: 'Solved',
};

export const threadStatusColors: Record<ThreadStatus, string> = {
  open: 'blue',
  pending: 'orange',
  solved: 'teal',
};

/** Web threads come from the notice site's contact form. */
export const inboxChannelLabels: Record<InboxChannel, string> = {
  web: 'Web form',
  email: 'Email',
  sms: 'SMS',
};

export const dsrKindLabels: Record<DsrKind, string> = {
  access: 'Access request',
  deletion: 'Deletion request',
};

export const deliveryLabels: Record<InboxDeliveryState, string> = {
  pending: 'Queued',
  sent: 'Sent',
  failed: 'Failed',
  skipped: 'Not sent',
};

export const deliveryColors: Record<InboxDeliveryState, string> = {
  pending: 'gray',
  sent: 'teal',
  failed: 'red',
  skipped: 'orange',
};

export const macroLocaleLabels: Record<MacroLocale, string> = { en: 'English', es: 'Spanish' };

export const verificationStateLabels: Record<VerificationState, string> = {
  none: 'No code sent yet',
  sent: 'Code sent',
  expired: 'Code expired',
  locked: 'Locked after too many wrong codes',
};

export type PriorityBand = 'high' | 'medium' | 'low';

/** Priority runs 0–100; the bands only colour it, the number still orders the list. */
export function priorityBand(priority: number): PriorityBand {
  if (priority >= 70) return 'high';
  if (priority >= 40) return 'medium';
  return 'low';
}

export const priorityLabels: Record<PriorityBand, string> = { high: 'High', medium: 'Medium', low: 'Low' };
export const priorityColors: Record<PriorityBand, string> = { high: 'red.9', medium: 'orange', low: 'gray' };

/** A topic's readable name, from the labels the list sends; the topic key when it has none. */
export function topicLabel(topic: string, labels: ReadonlyMap<string, string>): string {
  return labels.get(topic) ?? topic.replace(/[_-]+/g, ' ');
}
