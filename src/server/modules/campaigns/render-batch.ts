import type { Channel, VariantLocaleContent } from '../../../shared/contracts/campaigns.ts';
import { type PublicTitle, publicTitleFor } from '../../../shared/contracts/incidents.ts';
import { categoriesOf } from '../../../shared/taxonomy.ts';
import type { RenderResult } from '../outbound/index.ts';
import type { PersonContact } from '../people/index.ts';
import type { CampaignSettings } from './campaign-definition.ts';
import {
  buildContext,
  type CompiledTemplate,
  compileTemplate,
  type Locale,
  resolveLocale,
} from './templates/index.ts';

/**
 * Rendering one batch of notices: pure and synchronous, so it runs in the engine's thread for small batches
 * and in render worker threads (`render-pool.ts`) for large ones, where it takes the templates' CPU off the
 * thread that sends. Inputs are plain data (structured-clone friendly).
 */
export interface RenderItem {
  pn: number;
  variantId: string | null;
  locale: string | null;
  messageId: string;
  verificationCode: string;
  contact: PersonContact | null;
  link: string;
  activationCode: string | null;
}

export interface RenderJob {
  channel: Channel;
  campaign: {
    id: string;
    incidentId: string;
    emailFrom: string | null;
    replyTo: string | null;
    defaultLocale: string;
  };
  settings: CampaignSettings;
  /** The public title per locale (never the internal title): each person reads it in their language. */
  incident: { publicTitle: PublicTitle; description: string; occurredOn: string | null; awareOn: string };
  variants: Array<{ id: string; version: number; content: Record<string, VariantLocaleContent> }>;
  mailFrom: string;
  smsCallbackUrl?: string | undefined;
  items: RenderItem[];
}

export type { RenderResult };

const templates = new Map<string, CompiledTemplate>();

function templateFor(key: string, channel: Channel, part: string, source: string): CompiledTemplate {
  let compiled = templates.get(key);
  if (!compiled) {
    const kind =
      channel === 'email' ? (part as 'subject' | 'html' | 'text') : channel === 'sms' ? 'sms' : 'letter';
    compiled = compileTemplate(source, kind);
    if (templates.size > 2000) templates.clear();
    templates.set(key, compiled);
  }
  return compiled;
}

const missingWords: Record<Channel, string> = {
  email: 'no email address on file',
  sms: 'no phone number on file',
  letter: 'no postal address on file',
};

export function renderBatch(job: RenderJob): RenderResult[] {
  const variants = new Map(job.variants.map((v) => [v.id, v]));
  const { channel, campaign, settings } = job;
  return job.items.map((item): RenderResult => {
    try {
      const contact = item.contact;
      const to =
        channel === 'email'
          ? contact?.email
          : channel === 'sms'
            ? contact?.phone
            : contact?.postal
              ? 'postal'
              : null;
      if (!contact || !to) return { missing: missingWords[channel] };
      const variant = item.variantId ? variants.get(item.variantId) : undefined;
      if (!variant) return { missing: 'no variant for this person' };
      const locale = resolveLocale(
        item.locale ?? contact.locale,
        Object.keys(variant.content),
        campaign.defaultLocale,
      );
      const localized = variant.content[locale] ?? variant.content[campaign.defaultLocale]!;
      const context = buildContext({
        person: {
          firstName: contact.firstName,
          lastName: contact.lastName,
          email: contact.email,
          phone: contact.phone,
          categories: categoriesOf(contact.categories),
          risk: contact.riskTier,
          jurisdiction: contact.jurisdiction,
        },
        locale: (locale === 'es' ? 'es' : 'en') as Locale,
        incident: {
          title: publicTitleFor(job.incident.publicTitle, locale),
          description: job.incident.description,
          occurredOn: job.incident.occurredOn,
          awareOn: job.incident.awareOn,
        },
        link: item.link,
        activationCode: item.activationCode,
        verificationCode: item.verificationCode,
        contact: {
          phone: settings.contact.phone ?? null,
          phone_hours: settings.contact.phoneHours ?? null,
          email: settings.contact.email ?? null,
          url: settings.contact.url ?? null,
          postal: settings.contact.postal ?? null,
        },
        companyName: settings.companyName,
      });
      const t = (part: string, source: string) =>
        templateFor(
          `${variant.id}:${variant.version}:${locale}:${channel}:${part}`,
          channel,
          part,
          source,
        ).render(context);
      const base = {
        incidentId: campaign.incidentId,
        campaignId: campaign.id,
        pn: item.pn,
        messageId: item.messageId,
        verificationCode: item.verificationCode,
      };
      if (channel === 'email') {
        const email = localized.email!;
        return {
          message: {
            ...base,
            to,
            from: campaign.emailFrom ?? job.mailFrom,
            replyTo: campaign.replyTo ?? undefined,
            subject: t('subject', email.subject),
            html: t('html', email.html),
            text: t('text', email.text),
          },
        };
      }
      if (channel === 'sms') {
        return {
          message: {
            ...base,
            to,
            text: t('sms', localized.sms!.text),
            statusCallbackUrl: job.smsCallbackUrl,
          },
        };
      }
      const p = contact.postal!;
      const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
      return {
        message: {
          ...base,
          to: name || 'Resident',
          address: [
            name,
            p.line1,
            p.line2,
            [p.postalCode, p.city, p.region].filter(Boolean).join(' '),
            p.country,
          ].filter((l): l is string => Boolean(l)),
          text: t('letter', localized.letter!.text),
        },
      };
    } catch (error) {
      return { error: (error as Error).name || 'Error' };
    }
  });
}
