import type { ConsistencyWarningDto } from '../../shared/contracts/consistency.ts';

/**
 * The public notice site's staff API (src/server/modules/notice/). Its schemas live in the server module, so
 * the console restates them here; keep the two alike.
 */

export const noticeLocales = ['en', 'es'] as const;
export type NoticeLocale = (typeof noticeLocales)[number];

export interface FaqEntry {
  question: string;
  answer: string;
}

/** One language of the notice. Plain text: a blank line starts a paragraph, "- " starts a bullet. */
export interface LocaleText {
  title: string;
  summary: string;
  whatHappened: string;
  whatInformation: string;
  whatWeAreDoing: string;
  whatYouCanDo: string;
  moreInformation: string;
  phoneHours: string;
  faq: FaqEntry[];
}

export interface NoticeContact {
  phone: string | null;
  email: string | null;
  postalAddress: string | null;
  webForm: boolean;
}

/** Credit or identity monitoring offered to affected people: where they enrol with their code. */
export interface MonitoringOffer {
  provider: string;
  enrollUrl: string;
}

export interface NoticeContent {
  defaultLocale: NoticeLocale;
  locales: Partial<Record<NoticeLocale, LocaleText>>;
  contact: NoticeContact;
  /** Not in the first API contract; the server defaults it to null. */
  monitoring?: MonitoringOffer | null;
}

export type VersionStatus = 'draft' | 'approved' | 'published' | 'superseded';

export interface VersionSummary {
  id: string;
  number: number;
  status: VersionStatus;
  author: string;
  authorId: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  publishedBy: string | null;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NoticeVersion extends VersionSummary {
  content: NoticeContent;
  /** What the saved texts say that the data contradicts (the consistency check): legal sees it to approve. */
  consistency: ConsistencyWarningDto[];
}

export interface UpdateText {
  title: string;
  body: string;
}

export interface UpdateContent {
  locales: Partial<Record<NoticeLocale, UpdateText>>;
}

export type UpdateStatus = 'draft' | 'approved' | 'published';

export interface NoticeUpdate {
  id: string;
  status: UpdateStatus;
  content: UpdateContent;
  author: string;
  authorId: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  publishedBy: string | null;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface PublishedUpdate extends NoticeUpdate {
  /** Confirmed subscribers the update was queued for. */
  notified: number;
}

/** GET /api/incidents/:id/notice */
export interface NoticeOverview {
  /** What staff must know before approving or publishing (the company name not set, say). */
  warnings: string[];
  slug: string;
  publicUrl: string;
  canEditSlug: boolean;
  published: VersionSummary | null;
  /** The version being prepared: a draft, or approved and not yet published. */
  pending: NoticeVersion | null;
  versions: VersionSummary[];
  updates: NoticeUpdate[];
}

export interface NoticeSlug {
  slug: string;
  publicUrl: string;
}

export interface ActivityCounts {
  lookups: number;
  answeredAffected: number;
  answeredUnaffected: number;
  verifyGenuine: number;
  verifyUnknown: number;
  personalViews: number;
  contacts: number;
  subscribed: number;
}

export interface ActivityDay extends ActivityCounts {
  /** YYYY-MM-DD */
  day: string;
}

/** GET /api/incidents/:id/notice/stats */
export interface NoticeStats {
  /** The last 30 days, oldest first, zero-filled. */
  days: ActivityDay[];
  totals: ActivityCounts;
  subscriptions: { pending: number; confirmed: number; unsubscribed: number };
  feedback: {
    count: number;
    average: number | null;
    distribution: [number, number, number, number, number];
  };
  messages: { pending: number; sent: number; failed: number; skipped: number };
}

export interface FeedbackComment {
  rating: number;
  comment: string;
  at: string;
}

export interface FeedbackPage {
  comments: FeedbackComment[];
  nextBefore: string | null;
}

export type SiteMessageKind =
  | 'lookup'
  | 'subscribe_confirm'
  | 'update'
  | 'contact_ack'
  | 'inbox_reply'
  | 'inbox_verification'
  | 'inbox_csat';

export interface SiteMessage {
  id: number;
  kind: SiteMessageKind;
  channel: 'email' | 'sms';
  createdAt: string;
  to: string;
  subject: string | null;
  text: string;
  html: string | null;
}

export interface SiteOutboxPage {
  messages: SiteMessage[];
  total: number;
  nextBefore: number | null;
}

export type LogoType = 'image/png' | 'image/jpeg' | 'image/webp';

/** GET /api/settings/branding */
export interface Branding {
  /** Null while nobody has named the company (people would read "Our company"). */
  companyName: string | null;
  /** #rrggbb */
  primaryColor: string;
  logo: { contentType: string; size: number } | null;
}

/** PUT /api/settings/branding: `logo` omitted keeps the current one, null removes it. */
export interface BrandingInput {
  companyName: string;
  primaryColor: string;
  logo?: { contentType: LogoType; dataBase64: string } | null;
}
