/**
 * The support inbox's staff API (src/server/modules/inbox/). Its schemas live in the server module, so the
 * console restates them here; keep the two alike.
 */

export const inboxChannels = ['web', 'email', 'sms'] as const;
export type InboxChannel = (typeof inboxChannels)[number];

export const threadStatuses = ['open', 'pending', 'solved'] as const;
export type ThreadStatus = (typeof threadStatuses)[number];

export type SlaState = 'met' | 'ok' | 'due_soon' | 'breached' | 'none';
export type DsrKind = 'access' | 'deletion';
export type MacroLocale = 'en' | 'es';

export interface ThreadSla {
  dueAt: string | null;
  state: SlaState;
}

export interface ThreadDsr {
  kind: DsrKind;
  dueAt: string;
  completedAt: string | null;
}

export interface ThreadSummary {
  id: string;
  channel: InboxChannel;
  status: ThreadStatus;
  topics: string[];
  /** 0 to 100. */
  priority: number;
  /** Negative when the requester is unhappy. */
  sentiment: number | null;
  personLinked: boolean;
  incidentId: string | null;
  incidentTitle: string | null;
  verified: boolean;
  assignee: { id: string; name: string } | null;
  /** Masked: j•••@example.com or •••• 0142. */
  sender: string;
  subject: string | null;
  /** The first 140 characters of the latest inbound message. */
  preview: string;
  messages: number;
  createdAt: string;
  lastMessageAt: string;
  firstResponseAt: string | null;
  sla: ThreadSla;
  dsr: ThreadDsr | null;
  satisfaction: number | null;
}

export type DeliveryState = 'pending' | 'sent' | 'failed' | 'skipped';

export interface Attachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

export interface ThreadMessage {
  id: string;
  direction: 'in' | 'out';
  kind: 'message' | 'note';
  author: string | null;
  name: string | null;
  subject: string | null;
  body: string;
  createdAt: string;
  /** Outbound messages only. */
  delivery: DeliveryState | null;
  /** Where a reply or a verification code went (queued, SMTP, SMS provider, or the outbox by id). */
  dispatch?: Dispatch | null;
  attachments: Attachment[];
}

export interface Dispatch {
  state: DeliveryState;
  via: 'smtp' | 'sms-provider' | 'outbox' | null;
  channel: 'email' | 'sms' | null;
  outboxMessageId: number | null;
  incidentId: string | null;
  reason: string | null;
}

export type VerificationState = 'none' | 'sent' | 'expired' | 'locked';

export interface Verification {
  state: VerificationState;
  channel: 'email' | 'sms' | null;
  sentAt: string | null;
  expiresAt: string | null;
  attemptsLeft: number;
}

export interface Exposure {
  /** Readable phrases ("Email address", "Card number"). */
  categories: string[];
  /** Masked. */
  identifiers: string[];
  firstName: string | null;
  activationCode: string | null;
}

export type ThreadPerson =
  | { linked: false }
  | { linked: true; incidentId: string; incidentTitle: string; verified: false; verification: Verification }
  | {
      linked: true;
      incidentId: string;
      incidentTitle: string;
      verified: true;
      verifiedAt: string;
      exposure: Exposure;
    };

export interface ThreadDetail extends Omit<ThreadSummary, 'messages'> {
  messages: ThreadMessage[];
  person: ThreadPerson;
}

export interface ThreadCounts {
  open: number;
  pending: number;
  solved: number;
  breached: number;
  dsrOpen: number;
}

export interface TopicCount {
  topic: string;
  label: string;
  open: number;
}

export interface ThreadPage {
  threads: ThreadSummary[];
  /** Counted up to 1,000; `totalIsCapped` says there are more. */
  total: number;
  totalIsCapped: boolean;
  nextCursor: string | null;
  counts: ThreadCounts;
  topics: TopicCount[];
}

export interface ReplyInput {
  body: string;
  subject?: string;
  macroId?: string;
  status?: ThreadStatus;
}

export interface ThreadPatch {
  status?: ThreadStatus;
  assigneeId?: string | null;
  dsrCompleted?: boolean;
}

export interface Macro {
  id: string;
  name: string;
  locale: MacroLocale;
  subject: string | null;
  body: string;
  updatedBy: string;
  updatedAt: string;
}

export interface MacroInput {
  name: string;
  locale: MacroLocale;
  subject: string | null;
  body: string;
}

export interface RenderedMacro {
  subject: string | null;
  body: string;
  /** Variables left empty because the requester is not verified yet (e.g. "activation_code"). */
  missing: string[];
}

/**
 * The filter of a bulk answer. The contract names status, topic, search, channel and incidentId; the server
 * takes the list's whole query (assignee, sla, dsr too), which the console relies on.
 */
export interface BulkFilter {
  status?: ThreadStatus;
  topic?: string;
  search?: string;
  channel?: InboxChannel;
  incidentId?: string;
  assignee?: 'me' | 'none';
  sla?: 'breached';
  dsr?: 'open';
}

export interface BulkReplyInput {
  filter: BulkFilter | { threadIds: string[] };
  macroId: string;
  close: boolean;
  /** Makes a retried request answer each thread once (the server skips threads this bulk already answered). */
  bulkId?: string;
}

export interface BulkReplyResult {
  bulkId: string;
  replied: number;
  skipped: number;
}

export interface TopicRule {
  id: string;
  topic: string;
  label: string;
  keywords: string[];
  weight: number;
  dsrKind: DsrKind | null;
  enabled: boolean;
  updatedBy: string;
  updatedAt: string;
}

export type TopicRuleInput = Pick<
  TopicRule,
  'topic' | 'label' | 'keywords' | 'weight' | 'dsrKind' | 'enabled'
>;

export interface InboxSettings {
  slaHours: Record<InboxChannel, number>;
}

export interface InboxStats {
  /** The last 30 days, oldest first. */
  byDay: { day: string; received: number; answered: number }[];
  satisfaction: { count: number; average: number | null; distribution: number[] };
  medianFirstResponseMinutes: number | null;
}
