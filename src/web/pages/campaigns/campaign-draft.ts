import { type Channel, campaignInput } from '../../../shared/contracts/campaigns.ts';
import type { Category, RiskTier } from '../../../shared/taxonomy.ts';
import { isApiError } from '../../api/client.ts';
import type { Campaign, CampaignInput } from '../../api/types.ts';

/**
 * The campaign form's state: every field as the inputs hold it (strings, arrays never undefined), every
 * channel's text kept even while the channel is off (switching it back must not lose work), and variants with
 * a key of their own so React and the error messages can follow one through renames and reordering.
 */
export interface ChannelTexts {
  email: { subject: string; html: string; text: string };
  sms: { text: string };
  letter: { text: string };
}

export interface DraftRule {
  categoriesAny: Category[];
  categoriesAll: Category[];
  riskTiers: RiskTier[];
  jurisdictions: string[];
  locales: string[];
}

export interface DraftVariant {
  key: string;
  name: string;
  isDefault: boolean;
  rule: DraftRule;
  /** Locales in the order of their tabs. */
  locales: string[];
  content: Record<string, ChannelTexts>;
}

export interface CampaignDraft {
  name: string;
  channels: Channel[];
  emailFrom: string;
  replyTo: string;
  defaultLocale: string;
  companyName: string;
  contact: { phone: string; phoneHours: string; email: string; url: string; postal: string };
  activationCodesFor: Category[];
  /** Messages per second; empty for the server's default. */
  throttle: { email: string; sms: string };
  /** Percent of recent attempts failing that pauses the campaign. */
  errorThresholdPercent: number;
  variants: DraftVariant[];
}

let nextKey = 0;
const newKey = () => `variant-${++nextKey}`;

export const emptyTexts = (): ChannelTexts => ({
  email: { subject: '', html: '', text: '' },
  sms: { text: '' },
  letter: { text: '' },
});

const emptyRule = (): DraftRule => ({
  categoriesAny: [],
  categoriesAll: [],
  riskTiers: [],
  jurisdictions: [],
  locales: [],
});

export function newVariant(name: string, isDefault: boolean, locales: string[]): DraftVariant {
  return {
    key: newKey(),
    name,
    isDefault,
    rule: emptyRule(),
    locales,
    content: Object.fromEntries(locales.map((l) => [l, emptyTexts()])),
  };
}

export function emptyDraft(): CampaignDraft {
  return {
    name: '',
    channels: ['email', 'sms', 'letter'],
    emailFrom: '',
    replyTo: '',
    defaultLocale: 'en',
    companyName: '',
    contact: { phone: '', phoneHours: '', email: '', url: '', postal: '' },
    activationCodesFor: [],
    throttle: { email: '', sms: '' },
    errorThresholdPercent: 25,
    variants: [newVariant('general', true, ['en'])],
  };
}

type Source = CampaignInput | Campaign;
type SourceVariant = CampaignInput['variants'][number] | Campaign['variants'][number];

function variantFrom(v: SourceVariant): DraftVariant {
  const locales = Object.keys(v.content);
  return {
    key: newKey(),
    name: v.name,
    isDefault: 'isDefault' in v ? v.isDefault : (v.default ?? false),
    rule: {
      categoriesAny: v.rule?.categoriesAny ?? [],
      categoriesAll: v.rule?.categoriesAll ?? [],
      riskTiers: v.rule?.riskTiers ?? [],
      jurisdictions: v.rule?.jurisdictions ?? [],
      locales: v.rule?.locales ?? [],
    },
    locales,
    content: Object.fromEntries(
      locales.map((locale) => {
        const c = v.content[locale] ?? {};
        return [
          locale,
          {
            email: { subject: '', html: '', text: '', ...c.email },
            sms: { text: c.sms?.text ?? '' },
            letter: { text: c.letter?.text ?? '' },
          },
        ];
      }),
    ),
  };
}

/** A campaign file (examples/campaign.json) or a saved campaign, as the form holds it. */
export function draftFrom(source: Source): CampaignDraft {
  const contact = source.contact ?? {};
  const throttle = source.throttle ?? {};
  return {
    name: source.name,
    channels: [...source.channels],
    emailFrom: source.emailFrom ?? '',
    replyTo: source.replyTo ?? '',
    defaultLocale: source.defaultLocale ?? 'en',
    companyName: source.companyName ?? '',
    contact: {
      phone: contact.phone ?? '',
      phoneHours: contact.phoneHours ?? '',
      email: contact.email ?? '',
      url: contact.url ?? '',
      postal: contact.postal ?? '',
    },
    activationCodesFor: [...(source.activationCodesFor ?? [])],
    throttle: {
      email: throttle.email === undefined ? '' : String(throttle.email),
      sms: throttle.sms === undefined ? '' : String(throttle.sms),
    },
    errorThresholdPercent: Math.round((source.errorThreshold ?? 0.25) * 100),
    variants: source.variants.map(variantFrom),
  };
}

const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
const nullable = (value: string) => (value.trim() === '' ? null : value.trim());
const nonEmpty = <T>(list: T[]) => (list.length > 0 ? list : undefined);

/** The request body: only the channels the campaign sends by, empty fields left out. */
export function toInput(draft: CampaignDraft): CampaignInput {
  const throttle = (value: string) => (value.trim() === '' ? undefined : Number(value));
  return {
    name: draft.name.trim(),
    channels: draft.channels,
    emailFrom: optional(draft.emailFrom),
    replyTo: optional(draft.replyTo),
    defaultLocale: draft.defaultLocale,
    // Empty: the notices print the company name from Settings → Branding.
    companyName: optional(draft.companyName),
    contact: {
      phone: nullable(draft.contact.phone),
      phoneHours: nullable(draft.contact.phoneHours),
      email: nullable(draft.contact.email),
      url: nullable(draft.contact.url),
      postal: nullable(draft.contact.postal),
    },
    activationCodesFor: draft.activationCodesFor,
    throttle: { email: throttle(draft.throttle.email), sms: throttle(draft.throttle.sms) },
    errorThreshold: draft.errorThresholdPercent / 100,
    variants: draft.variants.map((v) => {
      const rule = {
        categoriesAny: nonEmpty(v.rule.categoriesAny),
        categoriesAll: nonEmpty(v.rule.categoriesAll),
        riskTiers: nonEmpty(v.rule.riskTiers),
        jurisdictions: nonEmpty(v.rule.jurisdictions),
        locales: nonEmpty(v.rule.locales),
      };
      const hasRule = Object.values(rule).some((value) => value !== undefined);
      return {
        name: v.name.trim(),
        default: v.isDefault || undefined,
        rule: hasRule && !v.isDefault ? rule : undefined,
        content: Object.fromEntries(
          v.locales.map((locale) => {
            const texts = v.content[locale] ?? emptyTexts();
            return [locale, Object.fromEntries(draft.channels.map((channel) => [channel, texts[channel]]))];
          }),
        ),
      };
    }),
  };
}

/** Every locale some variant is written in, for the default-locale choice. */
export function draftLocales(draft: CampaignDraft): string[] {
  return [...new Set(draft.variants.flatMap((v) => v.locales))];
}

/**
 * Problems by where they belong in the form. Keys: a campaign field (`name`, `contact.url`, `channels`,
 * `variants`), or a variant's part: `<key>/name`, `<key>/rule`, `<key>/content`, `<key>/<locale>`,
 * `<key>/<locale>/<channel>`, `<key>/<locale>/<channel>/<field>`.
 */
export type Problems = Map<string, string[]>;

function add(problems: Problems, key: string, message: string) {
  problems.set(key, [...(problems.get(key) ?? []), message]);
}

/**
 * Places a problem path from the server or from the same schema checked here. Schema paths number the
 * variants (`variants.2.content.en.sms.text`); the template checks name them (`variants.identity.content…`,
 * the variant names as saved, which are the form's names trimmed).
 */
export function placeProblem(draft: CampaignDraft, path: string): string {
  const parts = path.replace(/^body\./, '').split('.');
  if (parts[0] === 'contact' && parts[1]) return `contact.${parts[1]}`;
  if (parts[0] !== 'variants' || parts.length < 2) return parts[0] || 'form';
  const rest = parts.slice(1).join('.');
  const index = /^\d+$/.test(parts[1]!) ? Number(parts[1]) : -1;
  let variant = index >= 0 ? draft.variants[index] : undefined;
  let tail = parts.slice(2);
  if (!variant) {
    // Names may hold dots: the longest name the path starts with wins.
    const byName = [...draft.variants]
      .sort((a, b) => b.name.trim().length - a.name.trim().length)
      .find((v) => rest === v.name.trim() || rest.startsWith(`${v.name.trim()}.`));
    if (!byName) return 'variants';
    variant = byName;
    tail = rest
      .slice(byName.name.trim().length + 1)
      .split('.')
      .filter(Boolean);
  }
  const [section, locale, channel, field] = tail;
  if (section === 'name' || section === 'default') return `${variant.key}/name`;
  if (section === 'rule') return `${variant.key}/rule`;
  if (section !== 'content' || !locale) return `${variant.key}/content`;
  if (!channel) return `${variant.key}/${locale}`;
  if (!field) return `${variant.key}/${locale}/${channel}`;
  return `${variant.key}/${locale}/${channel}/${field}`;
}

/** The refusal's field messages, placed; a refusal without fields gives none (its message shows on top). */
export function serverProblems(draft: CampaignDraft, error: unknown): Problems {
  const problems: Problems = new Map();
  if (!isApiError(error)) return problems;
  for (const field of error.fields ?? []) add(problems, placeProblem(draft, field.path), field.message);
  return problems;
}

/** Plain words for the schema checks whose own messages are written for developers. */
const friendlier: Record<string, string> = {
  'contact.url': 'Enter a full web address, starting with https://.',
  throttle: 'Enter a positive number of messages per second.',
  errorThreshold: 'Enter a share between 1 and 100 percent.',
};

/**
 * What the server's schema would refuse, found before sending (templates are checked by the server only).
 * The checks written here come first; the schema adds only what they did not already say.
 */
export function localProblems(draft: CampaignDraft): Problems {
  const problems: Problems = new Map();
  if (draft.name.trim() === '') add(problems, 'name', 'Name the campaign.');
  if (draft.channels.length === 0) add(problems, 'channels', 'Choose at least one channel.');
  for (const v of draft.variants) {
    if (v.name.trim() === '') add(problems, `${v.key}/name`, 'Name the variant.');
    if (v.locales.length === 0) add(problems, `${v.key}/content`, 'Add at least one locale.');
  }
  const parsed = campaignInput.safeParse(toInput(draft));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = placeProblem(draft, issue.path.join('.'));
      if (problems.has(key)) continue;
      add(problems, key, friendlier[key] ?? friendlier[key.split('.')[0]!] ?? issue.message);
    }
  }
  return problems;
}

/** Whether any problem sits at or under a prefix (to mark a variant card or a locale tab). */
export function hasProblemsUnder(problems: Problems, prefix: string): boolean {
  for (const key of problems.keys()) if (key === prefix || key.startsWith(`${prefix}/`)) return true;
  return false;
}

export function problemText(problems: Problems, key: string): string | undefined {
  const list = problems.get(key);
  return list && list.length > 0 ? list.join(' ') : undefined;
}

/** A locale as the schema accepts it: "en", "es-MX". */
export const localePattern = /^[a-z]{2}(-[A-Z]{2})?$/;
/** A jurisdiction code: "US", "US-CA". */
export const jurisdictionPattern = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;
