import type { PreviewDto, VariantLocaleContent } from '../../../shared/contracts/campaigns.ts';
import { categoriesOf } from '../../../shared/taxonomy.ts';
import type { Executor } from '../../db/database.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { createStaffMailer } from '../../platform/mail/staff-mailer.ts';
import { contactsFor, findPersonPn } from '../population/index.ts';
import { settingsOf } from './campaigns.service.ts';
import {
  buildContext,
  compileTemplate,
  type Locale,
  type NoticeContext,
  resolveLocale,
  sampleContext,
  smsSegments,
  TemplateError,
} from './templates/index.ts';

/**
 * Previews: every variant × locale × channel rendered for a synthetic sample person, or for one real person
 * found by exact search (a read of personal data: audited), and a test send to a staff address.
 */
type Channel = 'email' | 'sms' | 'letter';

async function variantOf(db: Executor, campaignId: string, variantId: string) {
  const variant = await db
    .selectFrom('campaign_variants as v')
    .innerJoin('campaigns as c', 'c.id', 'v.campaign_id')
    .select(['v.id', 'v.content', 'c.default_locale', 'c.incident_id', 'c.settings', 'c.channels'])
    .where('v.id', '=', variantId)
    .where('v.campaign_id', '=', campaignId)
    .executeTakeFirst();
  if (!variant) throw notFound('A variant with this id in this campaign');
  return variant;
}

function renderAll(
  content: VariantLocaleContent,
  channel: Channel,
  context: NoticeContext,
  locale: string,
): PreviewDto {
  try {
    if (channel === 'email') {
      const e = content.email;
      if (!e) throw new AppError('bad_request', `This variant has no email message in ${locale}.`);
      const text = compileTemplate(e.text, 'text').render(context);
      return {
        channel,
        locale,
        subject: compileTemplate(e.subject, 'subject').render(context),
        html: compileTemplate(e.html, 'html').render(context),
        text,
        smsSegments: null,
        blocks: context.blocks.map((b) => b.title),
      };
    }
    const source = channel === 'sms' ? content.sms?.text : content.letter?.text;
    if (source === undefined)
      throw new AppError('bad_request', `This variant has no ${channel} message in ${locale}.`);
    const text = compileTemplate(source, channel).render(context);
    return {
      channel,
      locale,
      subject: null,
      html: null,
      text,
      smsSegments: channel === 'sms' ? smsSegments(text) : null,
      blocks: context.blocks.map((b) => b.title),
    };
  } catch (error) {
    if (error instanceof TemplateError) {
      throw new AppError('validation_failed', error.problems.map((p) => p.message).join(' '));
    }
    throw error;
  }
}

const asLocale = (l: string): Locale => (l === 'es' ? 'es' : 'en');

export async function previewSample(
  db: Executor,
  campaignId: string,
  query: { variantId: string; locale?: string | undefined; channel: Channel },
): Promise<PreviewDto> {
  const variant = await variantOf(db, campaignId, query.variantId);
  const content = variant.content as Record<string, VariantLocaleContent>;
  const locale = query.locale && content[query.locale] ? query.locale : variant.default_locale;
  const context = sampleContext(asLocale(locale));
  const settings = settingsOf(variant);
  context.company.name = settings.companyName || context.company.name;
  return renderAll(content[locale]!, query.channel, context, locale);
}

export async function previewPerson(
  deps: Pick<PlatformContext, 'db' | 'crypto' | 'config'>,
  campaignId: string,
  body: {
    variantId: string;
    channel: Channel;
    email?: string | undefined;
    phone?: string | undefined;
    customerId?: string | undefined;
  },
  meta: { actor: Actor; requestId?: string | undefined },
): Promise<PreviewDto> {
  const variant = await variantOf(deps.db, campaignId, body.variantId);
  const pn = await findPersonPn(deps.db, deps.crypto, variant.incident_id, body);
  await deps.db.transaction().execute((tx) =>
    recordAudit(tx, {
      actor: meta.actor,
      action: 'campaign.previewed_for_person',
      requestId: meta.requestId,
      target: { type: 'campaign', id: campaignId },
      details: { found: pn !== null, by: body.email ? 'email' : body.phone ? 'phone' : 'customer_id' },
    }),
  );
  if (pn === null) throw notFound('An affected person with this identifier in this incident');
  const contact = (await contactsFor(deps.db, deps.crypto, variant.incident_id, [pn])).get(pn)!;
  const content = variant.content as Record<string, VariantLocaleContent>;
  const locale = resolveLocale(contact.locale, Object.keys(content), variant.default_locale);
  const settings = settingsOf(variant);
  const incident = await deps.db
    .selectFrom('incidents')
    .select(['title', 'description', 'occurred_at', 'aware_at'])
    .where('id', '=', variant.incident_id)
    .executeTakeFirstOrThrow();
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
    locale: asLocale(locale),
    incident: {
      title: incident.title,
      description: incident.description,
      occurredOn: incident.occurred_at ? new Date(incident.occurred_at).toISOString().slice(0, 10) : null,
      awareOn: new Date(incident.aware_at).toISOString().slice(0, 10),
    },
    link: `${deps.config.publicUrl}/n/${variant.incident_id}/me/PREVIEW`,
    activationCode: 'PREVIEW-CODE',
    verificationCode: 'PREVIEW00000',
    contact: {
      phone: settings.contact.phone ?? null,
      phone_hours: settings.contact.phoneHours ?? null,
      email: settings.contact.email ?? null,
      url: settings.contact.url ?? null,
      postal: settings.contact.postal ?? null,
    },
    companyName: settings.companyName,
  });
  return renderAll(content[locale] ?? content[variant.default_locale]!, body.channel, context, locale);
}

export async function testSend(
  deps: Pick<PlatformContext, 'db' | 'config'>,
  campaignId: string,
  body: { variantId: string; locale?: string | undefined; to: string },
  meta: { actor: Actor; requestId?: string | undefined },
) {
  const staff = await deps.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', body.to.toLowerCase())
    .where('status', '<>', 'disabled')
    .executeTakeFirst();
  if (!staff)
    throw new AppError(
      'validation_failed',
      'Test sends go to staff addresses only: use the email of a Candor account.',
    );
  const preview = await previewSample(deps.db, campaignId, {
    variantId: body.variantId,
    locale: body.locale,
    channel: 'email',
  });
  const mailer = createStaffMailer(deps.config, deps.db);
  try {
    await mailer.send({
      to: [body.to],
      subject: `[TEST] ${preview.subject ?? ''}`,
      text: preview.text,
      html: preview.html ?? undefined,
      purpose: 'campaign_test_send',
    });
  } finally {
    mailer.close();
  }
  await deps.db.transaction().execute((tx) =>
    recordAudit(tx, {
      actor: meta.actor,
      action: 'campaign.test_sent',
      requestId: meta.requestId,
      target: { type: 'campaign', id: campaignId },
      details: { variantId: body.variantId },
    }),
  );
  return { ok: true as const, transport: mailer.mode };
}
