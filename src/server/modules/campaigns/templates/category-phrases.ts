import { type Category, isCategory } from '../../../../shared/taxonomy.ts';
import type { Locale } from './locales.ts';

/**
 * How a notice names each data category, as a phrase that reads naturally in a list ("We believe the incident
 * exposed your email address and your password"). Typed over the taxonomy, so a new category cannot ship
 * without its phrases.
 */
const phrases: Record<Category, Record<Locale, string>> = {
  email: { en: 'your email address', es: 'tu dirección de correo electrónico' },
  password: { en: 'your password', es: 'tu contraseña' },
  username: { en: 'your username', es: 'tu nombre de usuario' },
  security_qa: {
    en: 'your security questions and answers',
    es: 'tus preguntas y respuestas de seguridad',
  },
  name: { en: 'your name', es: 'tu nombre' },
  postal_address: { en: 'your postal address', es: 'tu dirección postal' },
  phone: { en: 'your phone number', es: 'tu número de teléfono' },
  date_of_birth: { en: 'your date of birth', es: 'tu fecha de nacimiento' },
  national_id: {
    en: 'your national identification number',
    es: 'tu número de identificación nacional',
  },
  drivers_license: { en: 'your driver’s license number', es: 'tu número de licencia de conducir' },
  passport: { en: 'your passport number', es: 'tu número de pasaporte' },
  tax_id: {
    en: 'your taxpayer identification number',
    es: 'tu número de identificación fiscal',
  },
  financial_account: {
    en: 'your bank account details',
    es: 'los datos de tu cuenta bancaria',
  },
  payment_card: { en: 'your payment card details', es: 'los datos de tu tarjeta de pago' },
  medical: { en: 'your medical information', es: 'tu información médica' },
  health_insurance: {
    en: 'your health insurance information',
    es: 'la información de tu seguro médico',
  },
  biometric: { en: 'your biometric data', es: 'tus datos biométricos' },
  genetic: { en: 'your genetic data', es: 'tus datos genéticos' },
  geolocation: { en: 'your location data', es: 'tus datos de ubicación' },
  ip_address: { en: 'your IP address', es: 'tu dirección IP' },
  device_id: {
    en: 'your device identifiers',
    es: 'los identificadores de tu dispositivo',
  },
  other: { en: 'other information about you', es: 'otra información sobre ti' },
};

/** In the US the national id is the Social Security number, and people know it by that name. */
const usNationalId: Record<Locale, string> = {
  en: 'your Social Security number',
  es: 'tu número de Seguro Social',
};

export function isUsJurisdiction(jurisdiction: string | undefined): boolean {
  return jurisdiction === 'US' || (jurisdiction?.startsWith('US-') ?? false);
}

/**
 * 'password' → 'your password' / 'tu contraseña'. With a jurisdiction, the phrase uses the local name where
 * people know one ('national_id' for a US person → 'your Social Security number').
 * Throws on an id outside the taxonomy: that is a bug upstream, not something to paper over in a notice.
 */
export function categoryPhrase(category: string, locale: Locale, jurisdiction?: string): string {
  if (!isCategory(category)) {
    throw new Error(`Unknown data category "${category}": use one of the ids in src/shared/taxonomy.ts.`);
  }
  if (category === 'national_id' && isUsJurisdiction(jurisdiction)) return usNationalId[locale];
  return phrases[category][locale];
}
