import { z } from 'zod';
import { categories, riskTiers } from '../taxonomy.ts';
import { consistencyWarning } from './consistency.ts';

export const channels = ['email', 'sms', 'letter'] as const;
export type Channel = (typeof channels)[number];
/** `preparing`: started, its delivery rows being created in batches; it sends once every row exists. */
export const campaignStatuses = [
  'draft',
  'scheduled',
  'preparing',
  'running',
  'paused',
  'finished',
  'cancelled',
] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];
export const deliveryStates = [
  'pending',
  'claimed',
  'sent',
  'delivered',
  'bounced',
  'failed',
  'suppressed',
  'fell_back',
] as const;
export type DeliveryState = (typeof deliveryStates)[number];

const template = (max: number) => z.string().max(max);
const locale = z
  .string()
  .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'A locale looks like "en" or "es-MX".')
  .max(10);

/** One variant's content in one locale: a template per channel the campaign uses. */
export const variantLocaleContent = z
  .object({
    email: z
      .object({ subject: template(500), html: template(100_000), text: template(100_000) })
      .strict()
      .optional(),
    sms: z
      .object({ text: template(2000) })
      .strict()
      .optional(),
    letter: z
      .object({ text: template(100_000) })
      .strict()
      .optional(),
  })
  .strict();

/** Who gets a variant: every given condition must hold; the first matching variant wins. */
export const variantRule = z
  .object({
    categoriesAny: z.array(z.enum(categories)).optional(),
    categoriesAll: z.array(z.enum(categories)).optional(),
    riskTiers: z.array(z.enum(riskTiers)).optional(),
    /** Jurisdiction codes; `US` covers `US-CA`. */
    jurisdictions: z.array(z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/)).optional(),
    locales: z.array(locale).optional(),
  })
  .strict();

export const variantInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    default: z.boolean().optional(),
    rule: variantRule.optional(),
    content: z.record(locale, variantLocaleContent),
  })
  .strict();

export const contactChannels = z
  .object({
    phone: z.string().max(50).nullable().optional(),
    phoneHours: z.string().max(200).nullable().optional(),
    email: z.string().max(254).nullable().optional(),
    url: z.url().max(500).nullable().optional(),
    postal: z.string().max(500).nullable().optional(),
  })
  .strict();

/** The campaign file (`candor campaign create --file`), also the API's create and edit body. */
export const campaignInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    channels: z
      .array(z.enum(channels))
      .min(1)
      .max(3)
      .refine((c) => new Set(c).size === c.length, 'Each channel once.'),
    emailFrom: z.string().max(300).optional(),
    replyTo: z.string().max(300).optional(),
    defaultLocale: locale.default('en'),
    /**
     * Leave out to use the company name from Settings → Branding (the usual case). Given and different from
     * it, the campaign overrides it on purpose, and the console says so.
     */
    companyName: z.string().trim().min(1).max(200).optional(),
    contact: contactChannels.default({}),
    /** People exposed in any of these categories get a credit-monitoring activation code. */
    activationCodesFor: z.array(z.enum(categories)).default([]),
    /** Messages per second per channel. */
    throttle: z
      .object({
        email: z.number().positive().max(10_000).optional(),
        sms: z.number().positive().max(1000).optional(),
      })
      .strict()
      .default({}),
    /** Pause automatically when this share of the last 200 attempts failed. */
    errorThreshold: z.number().min(0.01).max(1).default(0.25),
    variants: z
      .array(variantInput)
      .min(1)
      .max(50)
      .refine((v) => v.filter((x) => x.default).length <= 1, 'At most one default variant.')
      .refine((v) => new Set(v.map((x) => x.name)).size === v.length, 'Variant names must differ.'),
  })
  .strict();

export const variantDto = z.object({
  id: z.string(),
  name: z.string(),
  position: z.number(),
  isDefault: z.boolean(),
  rule: variantRule,
  content: z.record(z.string(), variantLocaleContent),
  version: z.number(),
  author: z.string(),
  /** The author's account, when a person wrote it: they cannot approve it. */
  authorId: z.string().nullable(),
  approved: z.boolean(),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  /** People this variant will reach (first match wins). */
  audience: z.number(),
  /** SMS templates over the segment limit and similar: approvers see them before approving. */
  warnings: z.array(z.string()),
  /** Sentences that deny what the data shows exposed, exposed categories never named (this variant's people). */
  consistency: z.array(consistencyWarning),
});

const stateCounts = z.object({
  pending: z.number(),
  claimed: z.number(),
  sent: z.number(),
  delivered: z.number(),
  bounced: z.number(),
  failed: z.number(),
  suppressed: z.number(),
  fellBack: z.number(),
});
export type StateCounts = z.infer<typeof stateCounts>;

export const campaignStatusDto = z.object({
  state: z.enum(campaignStatuses),
  total: z.number(),
  byState: stateCounts,
  byChannel: z.record(z.string(), stateCounts),
  /** Messages accepted per minute over the last five minutes. */
  throughputPerMinute: z.number(),
  etaSeconds: z.number().nullable(),
  pausedReason: z.string().nullable(),
  recentErrors: z.array(z.object({ channel: z.string(), error: z.string(), count: z.number() })),
  /**
   * The start's preparation: people whose delivery rows exist, of the people the incident had at the
   * start; done once every row exists (sending begins then). Null before the campaign starts.
   */
  preparation: z.object({ prepared: z.number(), total: z.number(), isDone: z.boolean() }).nullable(),
});

export const campaignDto = z.object({
  id: z.string(),
  incidentId: z.string(),
  name: z.string(),
  status: z.enum(campaignStatuses),
  channels: z.array(z.enum(channels)),
  emailFrom: z.string().nullable(),
  replyTo: z.string().nullable(),
  defaultLocale: z.string(),
  /** As written in the campaign; null: it uses the company name setting. */
  companyName: z.string().nullable(),
  /** What its notices print as the company's name. */
  printedCompanyName: z.string(),
  /** The campaign names the company differently from Settings → Branding. */
  isCompanyNameOverride: z.boolean(),
  /** What whoever approves or starts it must know (the company name not set, say). */
  warnings: z.array(z.string()),
  contact: contactChannels,
  activationCodesFor: z.array(z.enum(categories)),
  activationCodes: z.object({ total: z.number(), assigned: z.number(), needed: z.number() }),
  throttle: z.object({ email: z.number().optional(), sms: z.number().optional() }),
  errorThreshold: z.number(),
  scheduledAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  pausedReason: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  variants: z.array(variantDto),
  /** Before start: people by the first channel that reaches them, and those no channel reaches. */
  reach: z.object({
    byChannel: z.record(z.string(), z.number()),
    unreachable: z.number(),
    total: z.number(),
  }),
  readyToStart: z.boolean(),
  blockers: z.array(z.string()),
});
export const campaignList = z.object({ campaigns: z.array(campaignDto.omit({ variants: true })) });

export const campaignParams = z.object({ id: z.uuid() });
export const variantParams = z.object({ id: z.uuid(), variantId: z.uuid() });
export const startRequest = z.object({ at: z.iso.datetime({ offset: true }).optional() });
export const previewQuery = z.object({
  variantId: z.uuid(),
  locale: locale.optional(),
  channel: z.enum(channels),
});
export const previewDto = z.object({
  channel: z.enum(channels),
  locale: z.string(),
  subject: z.string().nullable(),
  html: z.string().nullable(),
  text: z.string(),
  smsSegments: z.object({ encoding: z.string(), segments: z.number(), characters: z.number() }).nullable(),
  blocks: z.array(z.string()),
  /** For a sample person: who that invented person is (only the person is invented; the rest is real). */
  sample: z
    .object({
      categories: z.array(z.enum(categories)),
      jurisdiction: z.string(),
      /** People of this variant with exactly this exposure (0: none yet, a stand-in exposure is used). */
      alike: z.number(),
    })
    .nullable(),
});
export const previewPersonRequest = z.object({
  variantId: z.uuid(),
  channel: z.enum(channels),
  email: z.string().max(254).optional(),
  phone: z.string().max(50).optional(),
  customerId: z.string().max(200).optional(),
});
export const testSendRequest = z.object({
  variantId: z.uuid(),
  locale: locale.optional(),
  to: z.email().max(254),
});
export const activationCodesRequest = z.object({ csv: z.string().max(20_000_000) });
export const activationCodesResponse = z.object({
  added: z.number(),
  duplicates: z.number(),
  total: z.number(),
});

export type CampaignInput = z.infer<typeof campaignInput>;
export type VariantInput = z.infer<typeof variantInput>;
export type VariantRule = z.infer<typeof variantRule>;
export type VariantLocaleContent = z.infer<typeof variantLocaleContent>;
export type CampaignDto = z.infer<typeof campaignDto>;
export type VariantDto = z.infer<typeof variantDto>;
export type CampaignStatusDto = z.infer<typeof campaignStatusDto>;
export type PreviewDto = z.infer<typeof previewDto>;
