import type { PreviewDto, VariantLocaleContent, VariantRule } from '../../../shared/contracts/campaigns.ts';
import { publicTitleFor } from '../../../shared/contracts/incidents.ts';
import { type Category, categoriesOf, categoryMask, type RiskTier } from '../../../shared/taxonomy.ts';
import type { Executor } from '../../db/database.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { isEnabledStaffEmail } from '../auth/index.ts';
import { incidentPublicFacts } from '../incidents/index.ts';
import { createStaffMailer } from '../outbound/index.ts';
import { contactsFor, findPersonPn } from '../people/index.ts';
import { type CampaignSettings, settingsOf } from './campaign-definition.ts';
import { printedCompanyNameOf } from './company-name.ts';
import { personalLink } from './links.ts';
import { typicalExposure } from './preview.repository.ts';
import {
  type BuildContextInput,
  buildContext,
  compileTemplate,
  type Locale,
  type NoticeContext,
  resolveLocale,
  smsSegments,
  TemplateError,
} from './templates/index.ts';

/**
 * Previews: every variant × locale × channel rendered for a sample person, or for one real person found by
 * exact search (a read of personal data: audited), and a test send to a staff address. Only the sample
 * person is invented: the incident (public title, description, dates), the company's name, the campaign's
 * contact details and the notice site's addresses are the real ones, so what legal approves is what
 * people get.
 */
type Channel = 'email' | 'sms' | 'letter';
type Deps = Pick<PlatformContext, 'db' | 'config'>;

async function variantOf(db: Executor, campaignId: string, variantId: string) {
  const variant = await db
    .selectFrom('campaign_variants as v')
    .innerJoin('campaigns as c', 'c.id', 'v.campaign_id')
    .select([
      'v.id',
      'v.content',
      'c.default_locale',
      'c.incident_id',
      'c.settings',
      'c.channels',
      'c.activation_categories',
    ])
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
  sample: PreviewDto['sample'] = null,
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
        sample,
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
      sample,
    };
  } catch (error) {
    if (error instanceof TemplateError) {
      throw new AppError('validation_failed', error.problems.map((p) => p.message).join(' '));
    }
    throw error;
  }
}

const asLocale = (l: string): Locale => (l === 'es' ? 'es' : 'en');

/** The real incident, company and contact details, for one locale: everything but the person. */
async function realParts(
  deps: Deps,
  variant: { incident_id: string; settings: Record<string, unknown> },
  locale: Locale,
): Promise<Omit<BuildContextInput, 'person' | 'locale' | 'activationCode' | 'verificationCode'>> {
  const facts = await incidentPublicFacts(deps.db, variant.incident_id);
  if (!facts) throw notFound('The incident');
  const settings: CampaignSettings = settingsOf(variant);
  return {
    incident: {
      title: publicTitleFor(facts.publicTitle, locale),
      description: facts.description,
      occurredOn: facts.occurredOn,
      awareOn: facts.awareOn,
    },
    link: personalLink(deps.config.noticeUrl, facts.slug, 'SAMPLE'),
    contact: {
      phone: settings.contact.phone ?? null,
      phone_hours: settings.contact.phoneHours ?? null,
      email: settings.contact.email ?? null,
      url: settings.contact.url ?? null,
      postal: settings.contact.postal ?? null,
    },
    companyName: await printedCompanyNameOf(deps.db, settings),
  };
}

/** Without anyone matching yet: what the variant's rule asks for, plus what nearly every notice names. */
function standInExposure(rule: VariantRule): Category[] {
  const wanted = new Set<Category>(['email', 'name', ...(rule.categoriesAll ?? [])]);
  const any = rule.categoriesAny?.[0];
  if (any) wanted.add(any);
  return [...wanted];
}

export async function previewSample(
  deps: Deps,
  campaignId: string,
  query: { variantId: string; locale?: string | undefined; channel: Channel },
): Promise<PreviewDto> {
  const variant = await variantOf(deps.db, campaignId, query.variantId);
  const content = variant.content as Record<string, VariantLocaleContent>;
  const locale = query.locale && content[query.locale] ? query.locale : variant.default_locale;
  const all = await deps.db
    .selectFrom('campaign_variants')
    .select(['id', 'is_default', 'rule'])
    .where('campaign_id', '=', campaignId)
    .orderBy('position')
    .execute();
  const typical = await typicalExposure(
    deps.db,
    variant.incident_id,
    all.map((v) => ({ id: v.id, isDefault: v.is_default, rule: v.rule as VariantRule })),
    variant.id,
  );
  const rule = (all.find((v) => v.id === variant.id)?.rule ?? {}) as VariantRule;
  const categories = typical ? categoriesOf(typical.categories) : standInExposure(rule);
  const jurisdiction = typical?.jurisdiction ?? rule.jurisdictions?.[0] ?? 'US';
  const risk: RiskTier = typical?.risk ?? 'medium';
  const needsCode = (categoryMask(categories) & variant.activation_categories) !== 0;
  const context = buildContext({
    ...(await realParts(deps, variant, asLocale(locale))),
    person: {
      firstName: 'Alex',
      lastName: 'Sample',
      email: 'alex.sample@example.com',
      phone: '+1 415 555 0142',
      categories,
      risk,
      jurisdiction,
    },
    locale: asLocale(locale),
    activationCode: needsCode ? 'SAMPLE-7K2M-Q4XD' : null,
    verificationCode: 'SAMPLE000000',
  });
  return renderAll(content[locale]!, query.channel, context, locale, {
    categories,
    jurisdiction,
    alike: typical?.alike ?? 0,
  });
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
  const context = buildContext({
    ...(await realParts(deps, variant, asLocale(locale))),
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
    activationCode: 'PREVIEW-CODE',
    verificationCode: 'PREVIEW00000',
  });
  return renderAll(content[locale] ?? content[variant.default_locale]!, body.channel, context, locale);
}

export async function testSend(
  deps: Pick<PlatformContext, 'db' | 'config'>,
  campaignId: string,
  body: { variantId: string; locale?: string | undefined; to: string },
  meta: { actor: Actor; requestId?: string | undefined },
) {
  if (!(await isEnabledStaffEmail(deps.db, body.to)))
    throw new AppError(
      'validation_failed',
      'Test sends go to staff addresses only: use the email of a Candor account.',
    );
  const preview = await previewSample(deps, campaignId, {
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
