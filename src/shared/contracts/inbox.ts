import { z } from 'zod';
import { id } from './common.ts';

/**
 * The support inbox's staff API (src/server/modules/inbox/inbox.routes.ts): what the console sends, and what
 * each route may answer. The response schemas filter every answer, so nothing sealed in the inbox's tables
 * (senders, bodies, names, attachments) reaches a client unless a field here names it.
 */

export const inboxChannels = ['web', 'email', 'sms'] as const;
export type InboxChannel = (typeof inboxChannels)[number];

export const threadStatuses = ['open', 'pending', 'solved'] as const;
export type ThreadStatus = (typeof threadStatuses)[number];

export const slaStates = ['met', 'ok', 'due_soon', 'breached', 'none'] as const;
export type SlaState = (typeof slaStates)[number];

export const dsrKinds = ['access', 'deletion'] as const;
export type DsrKind = (typeof dsrKinds)[number];

export const macroLocales = ['en', 'es'] as const;
export type MacroLocale = (typeof macroLocales)[number];

export const inboxDeliveryStates = ['pending', 'sent', 'failed', 'skipped'] as const;
export type InboxDeliveryState = (typeof inboxDeliveryStates)[number];

export const verificationStates = ['none', 'sent', 'expired', 'locked'] as const;
export type VerificationState = (typeof verificationStates)[number];

/** A topic key, as the rules name it (delete_my_data, legal_threat). */
export const topicKey = z
  .string()
  .regex(/^[a-z0-9_]{1,40}$/, 'Use lowercase letters, digits and underscores.');

const status = z.enum(threadStatuses);
const channel = z.enum(inboxChannels);
const replyBody = z.string().min(1).max(20_000).trim();
const subject = z.string().max(300).trim().nullable().optional();

// ---- Requests ----------------------------------------------------------------------------------------

export const threadParams = z.object({ id });
export const attachmentParams = z.object({ id, attachmentId: z.coerce.number().int().positive() });
export const macroParams = z.object({ macroId: id });
export const ruleParams = z.object({ ruleId: id });

/** The list's filters (also the bulk answer's, without paging). */
export const threadListQuery = z.object({
  status: status.optional(),
  topic: topicKey.optional(),
  channel: channel.optional(),
  search: z.string().max(200).trim().optional(),
  assignee: z.union([z.enum(['me', 'none']), id]).optional(),
  incidentId: id.optional(),
  sla: z.enum(['breached', 'due_soon']).optional(),
  dsr: z.enum(['open']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(300).trim().optional(),
});
/** As services take it: the limit may be left to its default. */
export type ThreadListQuery = Omit<z.infer<typeof threadListQuery>, 'limit'> & { limit?: number | undefined };

export const replyRequest = z.object({ body: replyBody, subject, status: status.optional() });
export type ReplyInput = z.input<typeof replyRequest>;

export const noteRequest = z.object({ body: replyBody });

export const threadPatchRequest = z.object({
  status: status.optional(),
  assigneeId: id.nullable().optional(),
  dsrCompleted: z.boolean().optional(),
});
export type ThreadPatch = z.input<typeof threadPatchRequest>;

export const confirmVerificationRequest = z.object({ code: z.string().max(20).trim() });

export const macroRequest = z.object({
  name: z.string().trim().min(1).max(100),
  locale: z.enum(macroLocales),
  subject,
  body: replyBody,
});
export type MacroInput = z.input<typeof macroRequest>;

export const renderMacroRequest = z.object({ threadId: id });

/** The filter of a bulk answer: the list's query without paging. */
export const bulkFilter = threadListQuery.omit({ limit: true, cursor: true });
export type BulkFilter = z.infer<typeof bulkFilter>;

export const bulkReplyRequest = z.object({
  // Strict: a mistyped or empty selection is refused, never read as "every open thread".
  filter: z.union([
    z.strictObject({ threadIds: z.array(id).min(1).max(50_000) }),
    bulkFilter.strict().refine((f) => Object.values(f).some((v) => v !== undefined && v !== ''), {
      message: 'Choose threads, or at least one filter (status, topic, search…).',
    }),
  ]),
  macroId: id,
  close: z.boolean(),
  /** Makes a retried request answer each thread once (the server skips threads this bulk already answered). */
  bulkId: id.optional(),
});
export type BulkReplyInput = z.input<typeof bulkReplyRequest>;

export const topicRuleRequest = z.object({
  topic: topicKey,
  label: z.string().trim().min(1).max(80),
  keywords: z.array(z.string().max(100).trim()).min(1).max(100),
  weight: z.number().int().min(0).max(60),
  dsrKind: z.enum(dsrKinds).nullable(),
  enabled: z.boolean(),
});
export type TopicRuleInput = z.input<typeof topicRuleRequest>;

const slaHours = z.number().min(0.25).max(720);
/** First-response targets per channel, in hours. Also the stored setting's schema. */
export const inboxSettings = z.object({
  slaHours: z.object({ web: slaHours, email: slaHours, sms: slaHours }),
});
export type InboxSettings = z.infer<typeof inboxSettings>;

// ---- Responses ---------------------------------------------------------------------------------------

export const threadSla = z.object({ dueAt: z.string().nullable(), state: z.enum(slaStates) });
export type ThreadSla = z.infer<typeof threadSla>;

export const threadDsr = z.object({
  kind: z.enum(dsrKinds),
  dueAt: z.string(),
  completedAt: z.string().nullable(),
});
export type ThreadDsr = z.infer<typeof threadDsr>;

export const threadSummary = z.object({
  id: z.string(),
  channel,
  status,
  topics: z.array(z.string()),
  /** 0 to 100. */
  priority: z.number(),
  /** Negative when the requester is unhappy. */
  sentiment: z.number().nullable(),
  personLinked: z.boolean(),
  incidentId: z.string().nullable(),
  incidentTitle: z.string().nullable(),
  verified: z.boolean(),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** Masked: j•••@example.com or •••• 0142. */
  sender: z.string(),
  subject: z.string().nullable(),
  /** The first 140 characters of the latest inbound message. */
  preview: z.string(),
  messages: z.number(),
  createdAt: z.string(),
  lastMessageAt: z.string(),
  firstResponseAt: z.string().nullable(),
  sla: threadSla,
  dsr: threadDsr.nullable(),
  satisfaction: z.number().nullable(),
});
export type ThreadSummary = z.infer<typeof threadSummary>;

export const threadCounts = z.object({
  open: z.number(),
  pending: z.number(),
  solved: z.number(),
  breached: z.number(),
  dsrOpen: z.number(),
});
export type ThreadCounts = z.infer<typeof threadCounts>;

export const topicCount = z.object({ topic: z.string(), label: z.string(), open: z.number() });
export type TopicCount = z.infer<typeof topicCount>;

export const threadPage = z.object({
  threads: z.array(threadSummary),
  /** Counted up to 1,000; `totalIsCapped` says there are more. */
  total: z.number(),
  totalIsCapped: z.boolean(),
  nextCursor: z.string().nullable(),
  counts: threadCounts,
  topics: z.array(topicCount),
});
export type ThreadPage = z.infer<typeof threadPage>;

/** Metadata only: the file itself is a download of its own. */
export const inboxAttachment = z.object({
  id: z.number(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number(),
});
export type InboxAttachment = z.infer<typeof inboxAttachment>;

/** Where a reply or a verification code went: ids and states, never an address or a text. */
export const inboxDispatch = z.object({
  state: z.enum(inboxDeliveryStates),
  via: z.enum(['smtp', 'sms-provider', 'outbox']).nullable(),
  channel: z.enum(['email', 'sms']).nullable(),
  outboxMessageId: z.number().nullable(),
  incidentId: z.string().nullable(),
  reason: z.string().nullable(),
});
export type InboxDispatch = z.infer<typeof inboxDispatch>;

export const threadMessage = z.object({
  id: z.number(),
  direction: z.enum(['in', 'out']),
  kind: z.enum(['message', 'note']),
  author: z.string().nullable(),
  name: z.string().nullable(),
  subject: z.string().nullable(),
  body: z.string(),
  createdAt: z.string(),
  /** Outbound messages only. */
  delivery: z.enum(inboxDeliveryStates).nullable(),
  /** Where a reply or a verification code went (queued, SMTP, SMS provider, or the outbox by id). */
  dispatch: inboxDispatch.nullable(),
  attachments: z.array(inboxAttachment),
});
export type ThreadMessage = z.infer<typeof threadMessage>;

export const verification = z.object({
  state: z.enum(verificationStates),
  channel: z.enum(['email', 'sms']).nullable(),
  sentAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  attemptsLeft: z.number(),
});
export type Verification = z.infer<typeof verification>;

/** What leaked, for a verified requester only. */
export const exposure = z.object({
  /** Readable phrases ("Email address", "Card number"). */
  categories: z.array(z.string()),
  /** Masked. */
  identifiers: z.array(z.string()),
  firstName: z.string().nullable(),
  activationCode: z.string().nullable(),
});
export type Exposure = z.infer<typeof exposure>;

const linkedPerson = { linked: z.literal(true), incidentId: z.string(), incidentTitle: z.string() };
export const threadPerson = z.union([
  z.object({ ...linkedPerson, verified: z.literal(true), verifiedAt: z.string(), exposure }),
  z.object({ ...linkedPerson, verified: z.literal(false), verification }),
  z.object({ linked: z.literal(false) }),
]);
export type ThreadPerson = z.infer<typeof threadPerson>;

export const threadDetail = threadSummary.omit({ messages: true }).extend({
  messages: z.array(threadMessage),
  person: threadPerson,
  /** What the agent must know before replying or sending a code (the company name not set, say). */
  warnings: z.array(z.string()),
});
export type ThreadDetail = z.infer<typeof threadDetail>;

export const assigneeList = z.object({
  assignees: z.array(z.object({ id: z.string(), name: z.string(), role: z.enum(['agent', 'admin']) })),
});
export type AssigneeList = z.infer<typeof assigneeList>;

export const macro = z.object({
  id: z.string(),
  name: z.string(),
  locale: z.enum(macroLocales),
  subject: z.string().nullable(),
  body: z.string(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});
export type Macro = z.infer<typeof macro>;
export const macroList = z.object({ macros: z.array(macro) });

export const renderedMacro = z.object({
  subject: z.string().nullable(),
  body: z.string(),
  /** Variables left empty because the requester is not verified yet (e.g. "activation_code"). */
  missing: z.array(z.string()),
});
export type RenderedMacro = z.infer<typeof renderedMacro>;

export const bulkReplyResult = z.object({ bulkId: z.string(), replied: z.number(), skipped: z.number() });
export type BulkReplyResult = z.infer<typeof bulkReplyResult>;

export const topicRule = z.object({
  id: z.string(),
  topic: z.string(),
  label: z.string(),
  keywords: z.array(z.string()),
  weight: z.number(),
  dsrKind: z.enum(dsrKinds).nullable(),
  enabled: z.boolean(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});
export type TopicRule = z.infer<typeof topicRule>;
export const topicRuleList = z.object({ rules: z.array(topicRule) });

export const inboxStats = z.object({
  /** The last 30 days, oldest first. */
  byDay: z.array(z.object({ day: z.string(), received: z.number(), answered: z.number() })),
  satisfaction: z.object({
    count: z.number(),
    average: z.number().nullable(),
    /** Ratings 1 to 5: how many of each. */
    distribution: z.array(z.number()),
  }),
  medianFirstResponseMinutes: z.number().nullable(),
});
export type InboxStats = z.infer<typeof inboxStats>;

/** What `candor inbox list --json` prints per thread: no message content, no addresses. */
export const inboxCliThread = threadSummary.pick({
  id: true,
  channel: true,
  status: true,
  topics: true,
  priority: true,
  personLinked: true,
  incidentId: true,
  verified: true,
});
export type InboxCliThread = z.infer<typeof inboxCliThread>;
