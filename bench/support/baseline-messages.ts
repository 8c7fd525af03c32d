import { personalLinkToken } from '../../src/server/modules/campaigns/index.ts';
import { personalLink } from '../../src/server/modules/campaigns/links.ts';
import {
  buildContext,
  type CompiledTemplate,
  compileTemplate,
  type Locale,
  resolveLocale,
} from '../../src/server/modules/campaigns/templates/index.ts';
import { contactsFor } from '../../src/server/modules/people/index.ts';
import type { PlatformContext } from '../../src/server/platform/context.ts';
import type { Channel, VariantLocaleContent } from '../../src/shared/contracts/campaigns.ts';
import { categoriesOf } from '../../src/shared/taxonomy.ts';

/**
 * The messages the bare nodemailer loop sends: the campaign's email notices, rendered ahead of time from
 * the same delivery rows (variant, locale, Message-ID, verification code), the same contacts and the same
 * compiled templates the engine uses, following the engine's render step (delivery.ts `render`, which is
 * private, so its few lines are mirrored here). Activation codes are synthetic codes of the same length
 * (the engine assigns the real ones as it sends). Returns the messages and what preparing them cost, which
 * is the per-message work the engine does that the bare loop does not.
 */
export interface BaselineMessage {
  messageId: string;
  from: string;
  replyTo: string | undefined;
  to: string;
  verificationCode: string;
  /** Subject, HTML and text as UTF-8, one after the other: see `bodyOf`. */
  body: Buffer;
  subjectBytes: number;
  htmlBytes: number;
}

/**
 * The rendered parts are kept off the V8 heap as UTF-8: 100k messages held as strings (2.6 GB) made the
 * baseline's own garbage collections slower per message than at 20k, flattering the ratio. Decoding the
 * three strings back when sending costs a few µs of the ~1 ms a message takes, and is in the baseline's
 * clock (the engine likewise makes its strings as it sends).
 */
export function bodyOf(message: BaselineMessage): { subject: string; html: string; text: string } {
  const { body, subjectBytes, htmlBytes } = message;
  return {
    subject: body.toString('utf8', 0, subjectBytes),
    html: body.toString('utf8', subjectBytes, subjectBytes + htmlBytes),
    text: body.toString('utf8', subjectBytes + htmlBytes),
  };
}

export interface PreparedMessages {
  messages: BaselineMessage[];
  bytes: number;
  contactsSeconds: number;
  renderSeconds: number;
}

const CHUNK = 1000;
const LINK_TTL_MS = 90 * 86_400_000;

export async function prepareBaselineMessages(
  ctx: Pick<PlatformContext, 'db' | 'crypto' | 'config'>,
  campaignId: string,
  onProgress: (done: number, total: number) => void,
): Promise<PreparedMessages> {
  const campaign = await ctx.db
    .selectFrom('campaigns')
    .selectAll()
    .where('id', '=', campaignId)
    .executeTakeFirstOrThrow();
  const incident = await ctx.db
    .selectFrom('incidents')
    .select(['title', 'description', 'occurred_at', 'aware_at'])
    .where('id', '=', campaign.incident_id)
    .executeTakeFirstOrThrow();
  const variants = await ctx.db
    .selectFrom('campaign_variants')
    .select(['id', 'version', 'content'])
    .where('campaign_id', '=', campaignId)
    .execute();
  const variantById = new Map(variants.map((v) => [v.id, v]));
  const rows = await ctx.db
    .selectFrom('deliveries')
    .select(['pn', 'variant_id', 'locale', 'message_id', 'verification_code'])
    .where('incident_id', '=', campaign.incident_id)
    .where('campaign_id', '=', campaignId)
    .where('channel', '=', 'email' satisfies Channel)
    .orderBy('pn')
    .execute();
  const settings = campaign.settings as {
    companyName?: string;
    contact?: { phone?: string; phoneHours?: string; email?: string; url?: string; postal?: string };
  };
  const contact = settings.contact ?? {};
  const templates = new Map<string, CompiledTemplate>();
  const template = (key: string, source: string, kind: 'subject' | 'html' | 'text') => {
    let compiled = templates.get(key);
    if (!compiled) {
      compiled = compileTemplate(source, kind);
      templates.set(key, compiled);
    }
    return compiled;
  };
  const expires = new Date(Date.now() + LINK_TTL_MS);
  const messages: BaselineMessage[] = [];
  let bytes = 0;
  let contactsSeconds = 0;
  let renderSeconds = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    let started = performance.now();
    const contacts = await contactsFor(
      ctx.db,
      ctx.crypto,
      campaign.incident_id,
      chunk.map((r) => r.pn),
    );
    contactsSeconds += (performance.now() - started) / 1000;
    started = performance.now();
    for (const row of chunk) {
      const person = contacts.get(row.pn);
      const variant = row.variant_id ? variantById.get(row.variant_id) : undefined;
      if (!person?.email || !variant) throw new Error(`delivery ${row.pn} has no email or variant`);
      const content = variant.content as Record<string, VariantLocaleContent>;
      const locale = resolveLocale(
        row.locale ?? person.locale,
        Object.keys(content),
        campaign.default_locale,
      );
      const email = (content[locale] ?? content[campaign.default_locale]!).email!;
      const context = buildContext({
        person: {
          firstName: person.firstName,
          lastName: person.lastName,
          email: person.email,
          phone: person.phone,
          categories: categoriesOf(person.categories),
          risk: person.riskTier,
          jurisdiction: person.jurisdiction,
        },
        locale: (['en', 'es'].includes(locale) ? locale : 'en') as Locale,
        incident: {
          title: incident.title,
          description: incident.description,
          occurredOn: incident.occurred_at ? new Date(incident.occurred_at).toISOString().slice(0, 10) : null,
          awareOn: new Date(incident.aware_at).toISOString().slice(0, 10),
        },
        link: personalLink(
          ctx.config.noticeUrl,
          campaign.incident_id,
          personalLinkToken(ctx.crypto, campaign.incident_id, row.pn, expires),
        ),
        activationCode:
          (person.categories & campaign.activation_categories) !== 0
            ? `BENCH-${row.pn.toString(16).padStart(12, '0').toUpperCase()}`
            : null,
        verificationCode: row.verification_code,
        contact: {
          phone: contact.phone ?? null,
          phone_hours: contact.phoneHours ?? null,
          email: contact.email ?? null,
          url: contact.url ?? null,
          postal: contact.postal ?? null,
        },
        companyName: settings.companyName ?? '',
      });
      const key = `${variant.id}:${variant.version}:${locale}`;
      const subject = Buffer.from(template(`${key}:subject`, email.subject, 'subject').render(context));
      const html = Buffer.from(template(`${key}:html`, email.html, 'html').render(context));
      const text = Buffer.from(template(`${key}:text`, email.text, 'text').render(context));
      const message: BaselineMessage = {
        messageId: row.message_id,
        from: campaign.email_from ?? ctx.config.CANDOR_MAIL_FROM,
        replyTo: campaign.reply_to ?? undefined,
        to: person.email,
        verificationCode: row.verification_code,
        body: Buffer.concat([subject, html, text]),
        subjectBytes: subject.length,
        htmlBytes: html.length,
      };
      bytes += message.body.length;
      messages.push(message);
    }
    renderSeconds += (performance.now() - started) / 1000;
    onProgress(messages.length, rows.length);
  }
  return { messages, bytes, contactsSeconds, renderSeconds };
}
