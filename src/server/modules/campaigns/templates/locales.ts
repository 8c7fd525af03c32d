/**
 * The languages notices can be written in, how a person's language is chosen, and the few fixed sentences the
 * system adds around a notice (labels, hints). Template text itself is written by the comms team.
 */
export const supportedLocales = ['en', 'es'] as const;
export type Locale = (typeof supportedLocales)[number];

export type SystemTextKey =
  | 'subject_default'
  | 'verify_hint'
  | 'link_label'
  | 'activation_label'
  | 'unsubscribe_not_applicable';

const systemTexts: Record<SystemTextKey, Record<Locale, string>> = {
  subject_default: {
    en: 'Notice of data breach: important information about your personal data',
    es: 'Aviso de filtración de datos: información importante sobre tus datos personales',
  },
  verify_hint: {
    en: 'To check that this message really comes from us, open our website yourself (not through a link in a message you doubt) and compare this verification code with the one shown on our notice page:',
    es: 'Para comprobar que este mensaje es realmente nuestro, entra tú mismo en nuestro sitio web (no a través de un enlace de un mensaje del que dudes) y compara este código de verificación con el que aparece en nuestra página del aviso:',
  },
  link_label: {
    en: 'See what was exposed and what you can do',
    es: 'Consulta qué datos se expusieron y qué puedes hacer',
  },
  activation_label: {
    en: 'Your activation code',
    es: 'Tu código de activación',
  },
  unsubscribe_not_applicable: {
    en: 'You are receiving this message because we are required to tell you about this incident. It is not marketing, so it has no unsubscribe link.',
    es: 'Recibes este mensaje porque estamos obligados a informarte sobre este incidente. No es publicidad, por eso no incluye un enlace para darte de baja.',
  },
};

export function systemText(key: SystemTextKey, locale: Locale): string {
  return systemTexts[key][locale];
}

export function isLocale(value: string): value is Locale {
  return (supportedLocales as readonly string[]).includes(value);
}

/**
 * The best of `available` for a person's recorded language: the exact tag, else the same language
 * ('es-MX' → 'es', or 'es' → 'es-MX' when only that variant exists), else `fallback`. Tags compare
 * case-insensitively and accept '_' for '-' (as spreadsheets and POSIX locales write them).
 */
export function resolveLocale(
  personLocale: string | null,
  available: readonly string[],
  fallback: string,
): string {
  if (!personLocale) return fallback;
  const wanted = normalizeTag(personLocale);
  if (!wanted) return fallback;
  const normalized = available.map((tag) => ({ tag, norm: normalizeTag(tag) }));
  const exact = normalized.find((entry) => entry.norm === wanted);
  if (exact) return exact.tag;
  const language = wanted.split('-')[0];
  const sameLanguage =
    normalized.find((entry) => entry.norm === language) ??
    normalized.find((entry) => entry.norm.split('-')[0] === language);
  return sameLanguage ? sameLanguage.tag : fallback;
}

function normalizeTag(tag: string): string {
  return tag.trim().replace(/_/g, '-').toLowerCase();
}
