import type {
  LocaleText,
  SiteLocale,
  SiteMessageKind,
  UpdateStatus,
  VersionStatus,
} from '../../../shared/contracts/notice-site.ts';

export const localeLabels: Record<SiteLocale, string> = { en: 'English', es: 'Spanish' };

export const versionStatusLabels: Record<VersionStatus, string> = {
  draft: 'Draft',
  approved: 'Approved',
  published: 'Published',
  superseded: 'Superseded',
};

export const versionStatusColors: Record<VersionStatus, string> = {
  draft: 'orange',
  approved: 'teal',
  published: 'blue',
  superseded: 'gray',
};

export const updateStatusLabels: Record<UpdateStatus, string> = versionStatusLabels;
export const updateStatusColors: Record<UpdateStatus, string> = versionStatusColors;

export const messageKindLabels: Record<SiteMessageKind, string> = {
  lookup: 'Lookup result',
  subscribe_confirm: 'Subscription confirmation',
  update: 'Update',
  contact_ack: 'Contact acknowledgement',
  inbox_reply: 'Inbox reply',
  inbox_verification: 'Verification code',
  inbox_csat: 'Satisfaction question',
};

export const messageKindColors: Record<SiteMessageKind, string> = {
  lookup: 'grape',
  subscribe_confirm: 'cyan',
  update: 'blue',
  contact_ack: 'teal',
  inbox_reply: 'indigo',
  inbox_verification: 'orange',
  inbox_csat: 'gray',
};

type TextField = Exclude<keyof LocaleText, 'faq'>;

/** The notice's text fields in page order; the five headings are the ones regulators expect. */
export const textFields: ReadonlyArray<{
  key: TextField;
  label: string;
  description: string;
  rows: number;
  /** The server's limit. */
  max: number;
}> = [
  { key: 'title', label: 'Title', description: 'The page’s heading.', rows: 1, max: 200 },
  {
    key: 'summary',
    label: 'Summary',
    description: 'One or two sentences under the title: what this page is about.',
    rows: 2,
    max: 2_000,
  },
  {
    key: 'whatHappened',
    label: 'What happened',
    description: 'When and how, in plain words.',
    rows: 4,
    max: 20_000,
  },
  {
    key: 'whatInformation',
    label: 'What information was involved',
    description: 'The kinds of data. Each person’s own page says what leaked about them.',
    rows: 4,
    max: 20_000,
  },
  {
    key: 'whatWeAreDoing',
    label: 'What we are doing',
    description: 'Containment and next steps.',
    rows: 4,
    max: 20_000,
  },
  {
    key: 'whatYouCanDo',
    label: 'What you can do',
    description: 'Concrete steps, one bullet each.',
    rows: 5,
    max: 20_000,
  },
  {
    key: 'moreInformation',
    label: 'For more information',
    description: 'How to reach you; the contact channels below are listed after it.',
    rows: 3,
    max: 20_000,
  },
  {
    key: 'phoneHours',
    label: 'Phone hours',
    description: 'Shown next to the phone number, in this language.',
    rows: 1,
    max: 200,
  },
];
