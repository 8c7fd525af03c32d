import {
  type Category,
  categories,
  highRiskCategories,
  isCategory,
  mediumRiskCategories,
  type RiskTier,
} from '../../../../shared/taxonomy.ts';
import { categoryPhrase } from './category-phrases.ts';
import { guidanceFor } from './guidance.ts';
import type { Locale } from './locales.ts';
import { maskEmail, maskPhone } from './masking.ts';
import { type NoticeBlock, requiredBlocks } from './required-blocks.ts';

/**
 * The data a notice template can read: one person's view of the incident, already localized and with their
 * identifiers masked (a template never sees a full email address or phone number). Field names are
 * snake_case because template authors write them.
 */
export interface NoticeContext {
  person: {
    first_name: string;
    last_name: string;
    full_name: string;
    masked_email: string | null;
    masked_phone: string | null;
    /** Readable phrases in the person's language, e.g. "your Social Security number". */
    exposed: string[];
    exposed_categories: string[];
    risk: RiskTier;
    jurisdiction: string;
    locale: string;
  };
  incident: {
    title: string;
    description: string;
    /** Dates written out in the person's language ("January 14, 2025", "14 de enero de 2025"). */
    occurred_on: string | null;
    aware_on: string;
  };
  /** What the person can do, one entry per exposed category that has guidance, most serious first. */
  guidance: Array<{ category: string; title: string; steps: string[] }>;
  link: string;
  activation_code: string | null;
  verification_code: string;
  contact: {
    phone: string | null;
    phone_hours: string | null;
    email: string | null;
    url: string | null;
    postal: string | null;
  };
  company: { name: string };
  /** Content the law requires for this person; rendered automatically when a template does not place it. */
  blocks: NoticeBlock[];
}

export interface BuildContextInput {
  person: {
    firstName: string | null;
    lastName: string | null;
    email: string | null;
    phone: string | null;
    categories: string[];
    risk: RiskTier;
    jurisdiction: string;
  };
  locale: Locale;
  incident: {
    title: string;
    description: string;
    /** Calendar dates, `YYYY-MM-DD`, in the incident's own time zone. */
    occurredOn: string | null;
    awareOn: string;
  };
  link: string;
  activationCode: string | null;
  verificationCode: string;
  contact: NoticeContext['contact'];
  companyName: string;
}

/** Used when the breached records carry no name: "Dear Customer," reads better than "Dear ,". */
const unnamed: Record<Locale, string> = { en: 'Customer', es: 'Cliente' };

const dateFormats: Record<Locale, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' }),
  es: new Intl.DateTimeFormat('es', { dateStyle: 'long', timeZone: 'UTC' }),
};

/** Guidance order: what can hurt most first (the taxonomy's tiers), taxonomy order within a tier. */
const guidanceOrder: readonly Category[] = [
  ...highRiskCategories,
  ...mediumRiskCategories,
  ...categories.filter((c) => !highRiskCategories.includes(c) && !mediumRiskCategories.includes(c)),
];

/** Categories in the order guidance is given (most serious first): notices and the personal page agree. */
export function inGuidanceOrder(list: readonly string[]): Category[] {
  return guidanceOrder.filter((c) => list.includes(c));
}

export function buildContext(input: BuildContextInput): NoticeContext {
  const { person, locale } = input;
  const exposed = exposedCategories(person.categories);
  const firstName = person.firstName?.trim() ?? '';
  const lastName = person.lastName?.trim() ?? '';
  const fullName = [firstName, lastName].filter((part) => part !== '').join(' ');
  const email = person.email?.trim();
  const phone = person.phone?.trim();
  return {
    person: {
      first_name: firstName || unnamed[locale],
      last_name: lastName,
      full_name: fullName || unnamed[locale],
      masked_email: email ? maskEmail(email) : null,
      masked_phone: phone ? maskPhone(phone) : null,
      exposed: exposed.map((c) => categoryPhrase(c, locale, person.jurisdiction)),
      exposed_categories: exposed,
      risk: person.risk,
      jurisdiction: person.jurisdiction,
      locale,
    },
    incident: {
      title: input.incident.title,
      description: input.incident.description,
      occurred_on: input.incident.occurredOn === null ? null : formatDate(input.incident.occurredOn, locale),
      aware_on: formatDate(input.incident.awareOn, locale),
    },
    guidance: inGuidanceOrder(exposed).flatMap((category) => {
      const entry = guidanceFor(category, locale, person.jurisdiction);
      return entry ? [{ category, ...entry }] : [];
    }),
    link: input.link,
    activation_code: input.activationCode,
    verification_code: input.verificationCode,
    contact: { ...input.contact },
    company: { name: input.companyName },
    blocks: requiredBlocks(exposed, person.jurisdiction, locale),
  };
}

/** Taxonomy ids, deduplicated, in taxonomy order; anything else is a bug upstream and is refused. */
function exposedCategories(list: string[]): Category[] {
  const unknown = list.filter((c) => !isCategory(c));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown data categories ${unknown.map((c) => `"${c}"`).join(', ')}: use the ids in src/shared/taxonomy.ts.`,
    );
  }
  return categories.filter((c) => list.includes(c));
}

function formatDate(isoDate: string, locale: Locale): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!date || Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(match?.[3])) {
    throw new Error(`Incident dates must be calendar dates written YYYY-MM-DD; got "${isoDate}".`);
  }
  return dateFormats[locale].format(date);
}

const sampleText: Record<Locale, { title: string; description: string; hours: string }> = {
  en: {
    title: 'Unauthorized access to our customer database',
    description:
      'On January 14, 2025, an unauthorized person used a stolen employee password to copy part of our customer database. We found out on January 20, locked the account, and brought in outside security experts.',
    hours: 'Monday to Friday, 8 am to 8 pm Eastern Time',
  },
  es: {
    title: 'Acceso no autorizado a nuestra base de datos de clientes',
    description:
      'El 14 de enero de 2025, una persona no autorizada usó la contraseña robada de un empleado para copiar parte de nuestra base de datos de clientes. Lo descubrimos el 20 de enero, bloqueamos la cuenta y recurrimos a expertos externos en seguridad.',
    hours: 'De lunes a viernes, de 8:00 a 20:00, hora del Este',
  },
};

/**
 * A fully filled context for checking that templates compile and render (every variable present). Not what
 * staff preview: previews use the real incident and company with only the person invented (preview.ts).
 */
export function sampleContext(locale: Locale): NoticeContext {
  return buildContext({
    person: {
      firstName: 'Alex',
      lastName: 'Sample',
      email: 'alex.sample@example.com',
      phone: '+1 415 555 0142',
      categories: ['email', 'password', 'name', 'date_of_birth', 'national_id'],
      risk: 'high',
      jurisdiction: 'US-CA',
    },
    locale,
    incident: {
      title: sampleText[locale].title,
      description: sampleText[locale].description,
      occurredOn: '2025-01-14',
      awareOn: '2025-01-20',
    },
    link: 'https://notice.example.com/p/SAMPLE',
    activationCode: 'SAMPLE-7K2M-Q4XD',
    verificationCode: 'V7Q4-K2MX',
    contact: {
      phone: '1-800-555-0199',
      phone_hours: sampleText[locale].hours,
      email: 'privacy@example.com',
      url: 'https://example.com/security-notice',
      postal: 'Example Company, Privacy Office, 100 Main Street, Springfield, IL 62701',
    },
    companyName: 'Example Company',
  });
}
