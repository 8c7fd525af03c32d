import { z } from 'zod';

/**
 * What comms writes for the public notice: the standard headings per locale, an FAQ and the ways to reach
 * the company. Texts are plain text (a blank line starts a paragraph, "- " starts a bullet); the site escapes
 * them, so nothing written here can inject markup.
 */
const text = (max: number) => z.string().trim().max(max);

export const localeTextSchema = z.object({
  title: text(200).min(1, 'Give the notice a title.'),
  summary: text(2_000),
  whatHappened: text(20_000),
  whatInformation: text(20_000),
  whatWeAreDoing: text(20_000),
  whatYouCanDo: text(20_000),
  moreInformation: text(20_000),
  phoneHours: text(200),
  faq: z
    .array(z.object({ question: text(500).min(1, 'Each FAQ entry needs a question.'), answer: text(5_000) }))
    .max(50),
});
export type LocaleText = z.infer<typeof localeTextSchema>;

export const contactSchema = z.object({
  phone: text(50).nullable(),
  email: z.string().trim().max(300).email('The contact email is not a valid address.').nullable(),
  postalAddress: text(500).nullable(),
  webForm: z.boolean(),
});
export type Contact = z.infer<typeof contactSchema>;

export const siteLocales = ['en', 'es'] as const;
export type SiteLocale = (typeof siteLocales)[number];

export const noticeContentSchema = z
  .object({
    defaultLocale: z.enum(siteLocales),
    locales: z.object({ en: localeTextSchema.optional(), es: localeTextSchema.optional() }),
    contact: contactSchema,
    /** Credit or identity monitoring offered to affected people: where they enrol with their code. */
    monitoring: z
      .object({
        provider: text(120).min(1),
        enrollUrl: z
          .url({ protocol: /^https?$/, error: 'The enrolment link must be an http(s) address.' })
          .max(500),
      })
      .nullable()
      .default(null),
  })
  .refine((c) => c.locales[c.defaultLocale] !== undefined, {
    message: 'The default language needs its texts.',
    path: ['locales'],
  });
export type NoticeContent = z.infer<typeof noticeContentSchema>;

export const updateContentSchema = z
  .object({
    locales: z.object({
      en: z.object({ title: text(200).min(1), body: text(20_000).min(1) }).optional(),
      es: z.object({ title: text(200).min(1), body: text(20_000).min(1) }).optional(),
    }),
  })
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

export { type Branding, brandingSchema } from '../../platform/settings/branding.ts';
