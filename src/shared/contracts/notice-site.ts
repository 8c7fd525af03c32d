import { z } from 'zod';
import { id } from './common.ts';
import { consistencyWarning } from './consistency.ts';

/**
 * The public notice site's staff API (src/server/modules/notice-site/notice.routes.ts): what comms writes for the
 * notice and its updates, and what each route may answer. The response schemas filter every answer, so
 * nothing sealed in the site's tables reaches the console unless a field here names it.
 *
 * Texts are plain text (a blank line starts a paragraph, "- " starts a bullet); the site escapes them, so
 * nothing written here can inject markup.
 */

export const siteLocales = ['en', 'es'] as const;
export type SiteLocale = (typeof siteLocales)[number];

export const versionStatuses = ['draft', 'approved', 'published', 'superseded'] as const;
export type VersionStatus = (typeof versionStatuses)[number];

export const updateStatuses = ['draft', 'approved', 'published'] as const;
export type UpdateStatus = (typeof updateStatuses)[number];

/** What the notice site sends, besides campaign notices: the kinds its mailbox lists. */
export const siteMessageKinds = [
  'lookup',
  'subscribe_confirm',
  'update',
  'contact_ack',
  'inbox_reply',
  'inbox_verification',
  'inbox_csat',
] as const;
export type SiteMessageKind = (typeof siteMessageKinds)[number];

const text = (max: number) => z.string().trim().max(max);
const instant = z.string();

// ---- What comms writes ---------------------------------------------------------------------------------

export const faqEntry = z.object({
  question: text(500).min(1, 'Each FAQ entry needs a question.'),
  answer: text(5_000),
});
export type FaqEntry = z.infer<typeof faqEntry>;

/** One language of the notice, under the standard headings. */
export const localeTextSchema = z.object({
  title: text(200).min(1, 'Give the notice a title.'),
  summary: text(2_000),
  whatHappened: text(20_000),
  whatInformation: text(20_000),
  whatWeAreDoing: text(20_000),
  whatYouCanDo: text(20_000),
  moreInformation: text(20_000),
  phoneHours: text(200),
  faq: z.array(faqEntry).max(50),
});
export type LocaleText = z.infer<typeof localeTextSchema>;

export const contactSchema = z.object({
  phone: text(50).nullable(),
  email: z.string().trim().max(300).email('The contact email is not a valid address.').nullable(),
  postalAddress: text(500).nullable(),
  webForm: z.boolean(),
});
export type Contact = z.infer<typeof contactSchema>;

/** Credit or identity monitoring offered to affected people: where they enrol with their code. */
export const monitoringOffer = z.object({
  provider: text(120).min(1),
  enrollUrl: z
    .url({ protocol: /^https?$/, error: 'The enrolment link must be an http(s) address.' })
    .max(500),
});
export type MonitoringOffer = z.infer<typeof monitoringOffer>;

export const noticeContentSchema = z
  .object({
    defaultLocale: z.enum(siteLocales),
    locales: z.object({ en: localeTextSchema.optional(), es: localeTextSchema.optional() }),
    contact: contactSchema,
    monitoring: monitoringOffer.nullable().default(null),
  })
  .refine((c) => c.locales[c.defaultLocale] !== undefined, {
    message: 'The default language needs its texts.',
    path: ['locales'],
  });
/** A notice's content as stored and answered (monitoring is null when none is offered). */
export type NoticeContent = z.infer<typeof noticeContentSchema>;
/** As the console sends it: monitoring may be left out (the first contract had none). */
export type NoticeContentInput = z.input<typeof noticeContentSchema>;

export const updateText = z.object({ title: text(200).min(1), body: text(20_000).min(1) });
export type UpdateText = z.infer<typeof updateText>;

export const updateContentSchema = z
  .object({ locales: z.object({ en: updateText.optional(), es: updateText.optional() }) })
  .refine((c) => c.locales.en !== undefined || c.locales.es !== undefined, {
    message: 'Write the update in at least one language.',
    path: ['locales'],
  });
export type UpdateContent = z.infer<typeof updateContentSchema>;

export const slugSchema = z
  .string()
  .trim()
  .regex(
    /^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/,
    'Use 3 to 64 lowercase letters, digits and hyphens, starting and ending with a letter or digit.',
  );

// ---- Requests ------------------------------------------------------------------------------------------

export const versionParams = z.object({ id, versionId: id });
export const updateParams = z.object({ id, updateId: id });

export const draftRequest = z.object({ content: noticeContentSchema });
export const slugRequest = z.object({ slug: slugSchema });
export const updateRequest = z.object({ content: updateContentSchema });
export const previewQuery = z.object({ versionId: id, locale: z.enum(siteLocales).default('en') });
export const feedbackQuery = z.object({ before: z.string().max(40).optional() });

export const siteOutboxQuery = z.object({
  before: z.coerce.number().int().positive().optional(),
  kind: z.enum(siteMessageKinds).optional(),
  channel: z.enum(['email', 'sms']).optional(),
  /** One message by its id (a deep link from an inbox thread): the other filters are ignored. */
  message: z.coerce.number().int().positive().optional(),
});
/** By recipient: a POST body, so the address or number searched for never travels in a URL. */
export const siteOutboxSearchBody = siteOutboxQuery.omit({ message: true }).extend({
  to: z.string().trim().min(3).max(320),
  defaultCountry: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/)
    .transform((v) => v.toUpperCase())
    .optional(),
});

// ---- Responses -----------------------------------------------------------------------------------------

export const versionSummary = z.object({
  id: z.string(),
  number: z.number(),
  status: z.enum(versionStatuses),
  author: z.string(),
  authorId: z.string().nullable(),
  approvedBy: z.string().nullable(),
  approvedAt: instant.nullable(),
  publishedBy: z.string().nullable(),
  publishedAt: instant.nullable(),
  createdAt: instant,
  updatedAt: instant,
});
export type VersionSummary = z.infer<typeof versionSummary>;

/** A version with its texts (what publishing answers). */
export const noticeVersionContent = versionSummary.extend({ content: noticeContentSchema });

/** A version with its texts and what they say that the data contradicts: legal sees it to approve. */
export const noticeVersion = noticeVersionContent.extend({ consistency: z.array(consistencyWarning) });
export type NoticeVersion = z.infer<typeof noticeVersion>;

export const noticeUpdate = z.object({
  id: z.string(),
  status: z.enum(updateStatuses),
  content: updateContentSchema,
  author: z.string(),
  authorId: z.string().nullable(),
  approvedBy: z.string().nullable(),
  approvedAt: instant.nullable(),
  publishedBy: z.string().nullable(),
  publishedAt: instant.nullable(),
  createdAt: instant,
  updatedAt: instant,
});
export type NoticeUpdate = z.infer<typeof noticeUpdate>;

export const publishedUpdate = noticeUpdate.extend({
  /** Confirmed subscribers the update was queued for. */
  notified: z.number(),
});
export type PublishedUpdate = z.infer<typeof publishedUpdate>;

export const noticeOverview = z.object({
  /** What staff must know before approving or publishing (the company name not set, say). */
  warnings: z.array(z.string()),
  slug: z.string(),
  publicUrl: z.string(),
  canEditSlug: z.boolean(),
  published: versionSummary.nullable(),
  /** The version being prepared: a draft, or approved and not yet published. */
  pending: noticeVersion.nullable(),
  versions: z.array(versionSummary),
  updates: z.array(noticeUpdate),
});
export type NoticeOverview = z.infer<typeof noticeOverview>;

export const noticeSlug = z.object({ slug: z.string(), publicUrl: z.string() });
export type NoticeSlug = z.infer<typeof noticeSlug>;

/** What the public did on the site, counted per day: never who. */
export const activityCounts = z.object({
  lookups: z.number(),
  answeredAffected: z.number(),
  answeredUnaffected: z.number(),
  verifyGenuine: z.number(),
  verifyUnknown: z.number(),
  personalViews: z.number(),
  contacts: z.number(),
  subscribed: z.number(),
});
export type ActivityCounts = z.infer<typeof activityCounts>;

export const activityDay = activityCounts.extend({
  /** YYYY-MM-DD */
  day: z.string(),
});
export type ActivityDay = z.infer<typeof activityDay>;

export const noticeStats = z.object({
  /** The last 30 days, oldest first, zero-filled. */
  days: z.array(activityDay),
  totals: activityCounts,
  subscriptions: z.object({ pending: z.number(), confirmed: z.number(), unsubscribed: z.number() }),
  feedback: z.object({
    count: z.number(),
    average: z.number().nullable(),
    /** Ratings 1 to 5: how many of each. */
    distribution: z.tuple([z.number(), z.number(), z.number(), z.number(), z.number()]),
  }),
  messages: z.object({ pending: z.number(), sent: z.number(), failed: z.number(), skipped: z.number() }),
});
export type NoticeStats = z.infer<typeof noticeStats>;

export const feedbackComment = z.object({ rating: z.number(), comment: z.string(), at: instant });
export type FeedbackComment = z.infer<typeof feedbackComment>;

export const feedbackPage = z.object({
  comments: z.array(feedbackComment),
  /** The cursor of the next (older) page; null on the last. */
  nextBefore: z.string().nullable(),
});
export type FeedbackPage = z.infer<typeof feedbackPage>;

/** A message the site kept in its outbox, decrypted for staff who may read personal data. */
export const siteMessage = z.object({
  id: z.number(),
  kind: z.enum(siteMessageKinds),
  channel: z.enum(['email', 'sms']),
  createdAt: instant,
  to: z.string(),
  subject: z.string().nullable(),
  text: z.string(),
  html: z.string().nullable(),
});
export type SiteMessage = z.infer<typeof siteMessage>;

export const siteOutboxPage = z.object({
  messages: z.array(siteMessage),
  total: z.number(),
  nextBefore: z.number().nullable(),
});
export type SiteOutboxPage = z.infer<typeof siteOutboxPage>;

export const linksRevoked = z.object({ revokedAt: instant });
export type LinksRevoked = z.infer<typeof linksRevoked>;
