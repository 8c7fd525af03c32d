import type { Category } from '../taxonomy.ts';

/**
 * How notices name each data category, in the languages Candor speaks: the name the "What information was
 * involved" prefill writes, and the phrases the consistency check recognises as a mention. Phrases are
 * matched without case or accents, each word also in its plural (-s, -es), with an optional article or
 * possessive between words ("datos de tu tarjeta" matches "datos de tarjeta"); the longest phrase wins, so
 * "email address" is email and never a postal address. Typed over the taxonomy: a new category cannot ship
 * without its words. Companies add phrases in Settings → Notice wording.
 */
export const wordLocales = ['en', 'es'] as const;
export type WordLocale = (typeof wordLocales)[number];

/** Plural noun phrases for a list about many people ("payment card details (446 people, 67%)"). */
export const categoryNames: Record<Category, Record<WordLocale, string>> = {
  email: { en: 'email addresses', es: 'direcciones de correo electrónico' },
  password: { en: 'passwords', es: 'contraseñas' },
  username: { en: 'usernames', es: 'nombres de usuario' },
  security_qa: { en: 'security questions and answers', es: 'preguntas y respuestas de seguridad' },
  name: { en: 'names', es: 'nombres' },
  postal_address: { en: 'postal addresses', es: 'direcciones postales' },
  phone: { en: 'phone numbers', es: 'números de teléfono' },
  date_of_birth: { en: 'dates of birth', es: 'fechas de nacimiento' },
  national_id: {
    en: 'national identification numbers (such as Social Security numbers)',
    es: 'números de identificación nacional (como el número de Seguro Social)',
  },
  drivers_license: { en: 'driver’s license numbers', es: 'números de licencia de conducir' },
  passport: { en: 'passport numbers', es: 'números de pasaporte' },
  tax_id: { en: 'taxpayer identification numbers', es: 'números de identificación fiscal' },
  financial_account: { en: 'bank account details', es: 'datos de cuentas bancarias' },
  payment_card: { en: 'payment card details', es: 'datos de tarjetas de pago' },
  medical: { en: 'medical information', es: 'información médica' },
  health_insurance: { en: 'health insurance information', es: 'información de seguros médicos' },
  biometric: { en: 'biometric data', es: 'datos biométricos' },
  genetic: { en: 'genetic data', es: 'datos genéticos' },
  geolocation: { en: 'location data', es: 'datos de ubicación' },
  ip_address: { en: 'IP addresses', es: 'direcciones IP' },
  device_id: { en: 'device identifiers', es: 'identificadores de dispositivos' },
  other: { en: 'other information', es: 'otra información' },
};

/**
 * What counts as a mention, besides the name above. Bare words that name something else as often
 * ("address", "card", "usuario") are left out on purpose: "my address is not affected" is about an email
 * address as often as a postal one. So is the card's security code (CVV): notices truthfully say it was
 * not stored, which is no denial that the card was exposed.
 */
export const categoryPhrases: Record<Category, Record<WordLocale, readonly string[]>> = {
  email: {
    en: ['email', 'e-mail', 'email address'],
    es: ['correo electrónico', 'dirección de correo', 'correo', 'email', 'e-mail'],
  },
  password: {
    en: ['password', 'passcode', 'passphrase', 'credential', 'login details', 'sign-in details', 'PIN'],
    es: ['contraseña', 'clave de acceso', 'credencial', 'PIN'],
  },
  username: {
    en: ['username', 'user name', 'user ID', 'login name', 'screen name'],
    es: ['nombre de usuario', 'identificador de usuario', 'alias'],
  },
  security_qa: {
    en: ['security question', 'security answer', 'secret question', 'memorable word'],
    es: ['pregunta de seguridad', 'respuesta de seguridad', 'pregunta secreta'],
  },
  name: {
    en: ['name', 'full name', 'first name', 'last name', 'surname'],
    es: ['nombre', 'nombre completo', 'apellido'],
  },
  postal_address: {
    en: [
      'postal address',
      'home address',
      'mailing address',
      'street address',
      'shipping address',
      'billing address',
      'delivery address',
    ],
    es: ['dirección postal', 'domicilio', 'dirección de envío', 'dirección de facturación'],
  },
  phone: {
    en: ['phone', 'phone number', 'telephone', 'mobile number', 'cell phone'],
    es: ['teléfono', 'número de teléfono', 'móvil', 'celular'],
  },
  date_of_birth: {
    en: ['date of birth', 'birth date', 'birthdate', 'birthday'],
    es: ['fecha de nacimiento', 'cumpleaños'],
  },
  national_id: {
    en: [
      'Social Security number',
      'SSN',
      'national ID',
      'national identification number',
      'national identity number',
      'identification number',
      'ID number',
      'government ID',
      'government identification',
      'national insurance number',
    ],
    es: [
      'número de identificación',
      'número de identidad',
      'documento de identidad',
      'identificación oficial',
      'identificación nacional',
      'Seguro Social',
      'seguridad social',
      'DNI',
      'NIE',
      'cédula',
      'CURP',
    ],
  },
  drivers_license: {
    en: ['driver’s license', 'driver license', 'driver’s licence', 'driving licence'],
    es: ['licencia de conducir', 'permiso de conducir', 'carné de conducir', 'carnet de conducir'],
  },
  passport: { en: ['passport'], es: ['pasaporte'] },
  tax_id: {
    en: ['taxpayer identification', 'tax identification number', 'tax ID', 'tax number', 'TIN', 'ITIN'],
    es: ['identificación fiscal', 'número fiscal', 'NIF', 'RFC', 'CUIT'],
  },
  financial_account: {
    en: ['bank account', 'account number', 'routing number', 'IBAN', 'bank details', 'banking details'],
    es: ['cuenta bancaria', 'número de cuenta', 'IBAN', 'datos bancarios', 'CLABE'],
  },
  payment_card: {
    en: [
      'payment card',
      'card number',
      'credit card',
      'debit card',
      'card details',
      'card data',
      'card information',
      'card expiry',
      'card expiration',
      'payment details',
    ],
    es: [
      'tarjeta de pago',
      'tarjeta de crédito',
      'tarjeta de débito',
      'número de tarjeta',
      'datos de tarjeta',
      'tarjeta bancaria',
      'datos de pago',
    ],
  },
  medical: {
    en: ['medical', 'health information', 'health data', 'diagnosis', 'diagnoses', 'prescription'],
    es: ['información médica', 'datos médicos', 'historial médico', 'diagnóstico', 'datos de salud'],
  },
  health_insurance: {
    en: ['health insurance', 'insurance number', 'insurance policy', 'member ID', 'Medicare', 'Medicaid'],
    es: ['seguro médico', 'seguro de salud', 'póliza de salud', 'número de afiliado', 'tarjeta sanitaria'],
  },
  biometric: {
    en: ['biometric', 'fingerprint', 'face scan', 'facial geometry', 'voiceprint'],
    es: ['biométrico', 'biométrica', 'huella dactilar', 'reconocimiento facial'],
  },
  genetic: { en: ['genetic', 'DNA'], es: ['genético', 'genética', 'ADN'] },
  geolocation: {
    en: ['location data', 'location history', 'geolocation', 'GPS', 'precise location'],
    es: ['ubicación', 'geolocalización', 'localización', 'GPS'],
  },
  ip_address: { en: ['IP address', 'IP'], es: ['dirección IP', 'IP'] },
  device_id: {
    en: ['device ID', 'device identifier', 'advertising ID', 'IMEI'],
    es: ['identificador de dispositivo', 'identificador del dispositivo', 'ID de dispositivo', 'IMEI'],
  },
  other: { en: ['other information', 'other data'], es: ['otra información', 'otros datos'] },
};

/** Words that deny (matched as whole words). Companies may add their own ("ruled out", "descartamos"). */
export const negationWords: Record<WordLocale, readonly string[]> = {
  en: [
    'not',
    'no',
    'never',
    'none',
    'neither',
    'nor',
    'without',
    'cannot',
    "didn't",
    "doesn't",
    "don't",
    "wasn't",
    "weren't",
    "isn't",
    "aren't",
    "hasn't",
    "haven't",
    "hadn't",
    "won't",
    "can't",
    'unaffected',
    'untouched',
  ],
  es: ['no', 'nunca', 'jamás', 'ni', 'ningún', 'ninguna', 'ninguno', 'nada', 'sin', 'tampoco'],
};

/**
 * Word beginnings that say data was exposed (or, negated, that it was not). A negated sentence without one
 * of these ("we will never ask for your card number") is not about exposure.
 */
export const exposureStems: Record<WordLocale, readonly string[]> = {
  en: [
    'expos',
    'involv',
    'includ',
    'contain',
    'held',
    'hold',
    'affect',
    'access',
    'compromis',
    'stole',
    'steal',
    'taken',
    'took',
    'leak',
    'breach',
    'acquir',
    'obtain',
    'copied',
    'reveal',
    'disclos',
    'impact',
    'download',
    'exfiltrat',
    'at risk',
    'part of',
    'unaffected',
    'untouched',
  ],
  es: [
    'expu',
    'expon',
    'afect',
    'inclu',
    'conten',
    'contien',
    'contuv',
    'acced',
    'acceso',
    'compromet',
    'robad',
    'robo',
    'sustra',
    'filtr',
    'revel',
    'obtuv',
    'obten',
    'copiad',
    'vulner',
    'estaba',
    'figura',
    'tenía',
    'guardad',
    'almacenad',
    'descarg',
    'en riesgo',
    'se vio',
    'se vieron',
  ],
};

/**
 * Statements about evidence, not about what was exposed ("we have no evidence that cards were misused"):
 * a clause with one of these is never read as a denial.
 */
export const hedgePhrases: Record<WordLocale, readonly string[]> = {
  en: [
    'no evidence',
    'no indication',
    'no sign',
    'no signs',
    'no reason to believe',
    'not aware',
    'no known',
    'did not find',
    "didn't find",
    'have not found',
    "haven't found",
    'have not seen',
    "haven't seen",
    'found no',
  ],
  es: [
    'ninguna prueba',
    'ningún indicio',
    'ninguna señal',
    'ninguna evidencia',
    'no hay pruebas',
    'no hay indicios',
    'no hay evidencia',
    'no tenemos constancia',
    'no tenemos pruebas',
    'sin indicios',
    'no hemos encontrado',
    'no hemos detectado',
    'no hemos visto',
  ],
};

/** A conditional ("if your card was not involved, …") describes a case, not a fact. */
export const conditionalWords: Record<WordLocale, readonly string[]> = {
  en: ['if', 'unless', 'whether'],
  es: ['si', 'en caso de', 'a menos que', 'salvo que'],
};

/** Connectives that start a new clause: a negation before them does not reach past them. */
export const clauseBreaks: Record<WordLocale, readonly string[]> = {
  en: ['but', 'however', 'although', 'though', 'whereas', 'while', 'yet'],
  es: ['pero', 'sin embargo', 'aunque', 'mientras que', 'no obstante'],
};

/** Articles and possessives allowed between the words of a phrase ("datos de tu tarjeta"). */
export const fillerWords: Record<WordLocale, readonly string[]> = {
  en: ['your', 'the', 'my', 'their', 'our', 'a'],
  es: ['la', 'el', 'los', 'las', 'tu', 'tus', 'su', 'sus', 'mi', 'mis', 'de', 'del'],
};
