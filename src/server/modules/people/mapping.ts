import { type IdentifierField, identifierFields } from '../../../shared/contracts/people.ts';
import { type Category, isCategory } from '../../../shared/taxonomy.ts';

export { type IdentifierField, identifierFields };

/**
 * Column mapping: which input column (CSV header or JSON key) holds which field. A mapping file is
 * `{"columns": {"<header>": "<field>"}}` with fields from `identifierFields`, `category:<id>` (a non-empty
 * value means that category was exposed) or `ignore`, and optionally `"caseSensitiveIds": true`. Without one, fields are detected from header names
 * (synonyms below) and, where headers say nothing, from the shape of sample values.
 */

export type FieldSpec = IdentifierField | `category:${Category}` | 'ignore';
export type Mapping = Record<string, FieldSpec>;

/** The category a non-empty identifier marks as exposed. */
export const identifierCategory: Record<IdentifierField, Category | null> = {
  customer_id: null,
  email: 'email',
  phone: 'phone',
  first_name: 'name',
  last_name: 'name',
  full_name: 'name',
  address_line1: 'postal_address',
  address_line2: 'postal_address',
  city: 'postal_address',
  region: null,
  postal_code: 'postal_address',
  country: null,
  locale: null,
  date_of_birth: 'date_of_birth',
  national_id: 'national_id',
};

/** Header synonyms, compared after folding case, accents, spaces, dashes and underscores. */
const synonyms: Record<string, FieldSpec> = {};
const add = (field: FieldSpec, ...names: string[]) => {
  for (const name of names) synonyms[foldHeader(name)] = field;
};
add(
  'customer_id',
  'customer id',
  'customerid',
  'cust id',
  'client id',
  'account id',
  'member number',
  'user id',
  'userid',
  'uid',
  'crm id',
  'customer number',
  'customer no',
  'subscriber id',
);
add(
  'email',
  'email',
  'e-mail',
  'e-mail address',
  'email address',
  'mail',
  'emailaddress',
  'contact email',
  'email addr',
  'customer email',
  'buyer email',
  'primary email',
);
add(
  'phone',
  'phone',
  'phone number',
  'mobile',
  'mobile phone',
  'mobile number',
  'cell',
  'cell phone',
  'cellphone',
  'telephone',
  'tel',
  'msisdn',
  'contact phone',
  'phone no',
  'customer phone',
);
add('first_name', 'first name', 'firstname', 'given name', 'forename', 'fname', 'first');
add('last_name', 'last name', 'lastname', 'surname', 'family name', 'lname', 'last');
add(
  'full_name',
  'name',
  'full name',
  'fullname',
  'customer name',
  'contact name',
  'buyer name',
  'shipping name',
  'cardholder name',
);
add(
  'address_line1',
  'address',
  'address1',
  'address 1',
  'address line 1',
  'addressline1',
  'street',
  'street address',
  'addr1',
  'shipping address',
  'billing address',
);
add(
  'address_line2',
  'address2',
  'address 2',
  'address line 2',
  'addressline2',
  'addr2',
  'apartment',
  'suite',
  'apt',
);
add('city', 'city', 'town', 'locality', 'shipping city', 'billing city');
add(
  'region',
  'state',
  'region',
  'province',
  'state province',
  'state/province',
  'county',
  'shipping state',
  'billing state',
  'st',
);
add(
  'postal_code',
  'zip',
  'zip code',
  'zipcode',
  'postal code',
  'postalcode',
  'postcode',
  'post code',
  'shipping zip',
  'billing zip',
);
add('country', 'country', 'country code', 'countrycode', 'nation', 'shipping country', 'billing country');
add('locale', 'locale', 'language', 'lang', 'preferred language', 'language code');
add('date_of_birth', 'dob', 'date of birth', 'birthdate', 'birth date', 'birthday', 'born');
add(
  'national_id',
  'ssn',
  'social security number',
  'social security',
  'national id',
  'national identifier',
  'nin',
  'national insurance number',
  'sin',
  'personal id number',
  'personnummer',
  'ssn last4',
  'ssn4',
);
add(
  'category:password',
  'password',
  'pwd',
  'pwd hash',
  'password hash',
  'passwd',
  'pass',
  'password digest',
  'hashed password',
  'pw hash',
  'pin',
);
add('category:username', 'username', 'user name', 'login', 'screen name', 'handle', 'nickname');
add(
  'category:security_qa',
  'security question',
  'security answer',
  'secret question',
  'secret answer',
  'mothers maiden name',
);
add(
  'category:payment_card',
  'card number',
  'card',
  'credit card',
  'credit card number',
  'cc',
  'cc number',
  'pan',
  'cvv',
  'card expiry',
  'cc exp',
);
add(
  'category:financial_account',
  'iban',
  'bank account',
  'account number',
  'routing number',
  'sort code',
  'bic',
);
add('category:tax_id', 'tax id', 'tin', 'vat number', 'ein', 'itin');
add(
  'category:drivers_license',
  'drivers license',
  'driver license',
  'driving licence',
  'dl number',
  'license number',
);
add('category:passport', 'passport', 'passport number', 'passport no');
add(
  'category:medical',
  'diagnosis',
  'medical',
  'medical record',
  'condition',
  'prescription',
  'mrn',
  'treatment',
);
add(
  'category:health_insurance',
  'insurance id',
  'health insurance',
  'policy number',
  'insurance member id',
  'medicare number',
);
add('category:biometric', 'fingerprint', 'face template', 'biometric');
add('category:genetic', 'genotype', 'dna', 'genetic');
add('category:geolocation', 'latitude', 'longitude', 'lat', 'lng', 'lon', 'location', 'geo', 'gps');
add('category:ip_address', 'ip', 'ip address', 'last ip', 'signup ip', 'ipaddress');
add('category:device_id', 'device id', 'imei', 'idfa', 'advertising id', 'device');

export function foldHeader(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9/]+/g, ' ')
    .trim();
}

const VALUE_SHAPES: Array<{ field: FieldSpec; test: (v: string) => boolean }> = [
  { field: 'email', test: (v) => /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i.test(v.trim()) },
  { field: 'national_id', test: (v) => /^\d{3}-\d{2}-\d{4}$/.test(v.trim()) },
  { field: 'category:payment_card', test: (v) => isLuhnCardNumber(v) },
  {
    field: 'category:ip_address',
    test: (v) =>
      /^(\d{1,3}\.){3}\d{1,3}$/.test(v.trim()) || /^(?=(?:[^:]*:){2})[0-9a-f:]{7,39}$/i.test(v.trim()),
  },
  // Crypt-style hashes, and bare hex digests (MD5, SHA-1, SHA-256), which breach exports mostly hold for passwords.
  {
    field: 'category:password',
    test: (v) =>
      /^\$(2[aby]|argon2i?d?|[156])\$/.test(v.trim()) ||
      /^(?:[a-f0-9]{32}|[a-f0-9]{40}|[a-f0-9]{64})$/i.test(v.trim()),
  },
  {
    field: 'phone',
    test: (v) => /^\+?[\d\s().-]{7,20}$/.test(v.trim()) && (v.match(/\d/g)?.length ?? 0) >= 7,
  },
];

function isLuhnCardNumber(value: string): boolean {
  const digits = value.replace(/[\s-]/g, '');
  if (!/^\d{13,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

export interface DetectedMapping {
  mapping: Mapping;
  /** How each column was decided, to show the person confirming it. */
  reasons: Record<string, 'header' | 'values' | 'unmapped'>;
  unmapped: string[];
}

/** Detects fields from headers, then from the shape of sample values (80% of non-empty samples). */
export function detectMapping(headers: string[], samples: Array<Record<string, string>>): DetectedMapping {
  const mapping: Mapping = {};
  const reasons: DetectedMapping['reasons'] = {};
  const unmapped: string[] = [];
  for (const header of headers) {
    const byName = synonyms[foldHeader(header)];
    if (byName) {
      mapping[header] = byName;
      reasons[header] = 'header';
      continue;
    }
    const values = samples.map((row) => row[header] ?? '').filter((v) => v.trim() !== '');
    const shape = values.length
      ? VALUE_SHAPES.find((s) => values.filter((v) => s.test(v)).length >= Math.ceil(values.length * 0.8))
      : undefined;
    if (shape) {
      mapping[header] = shape.field;
      reasons[header] = 'values';
    } else {
      reasons[header] = 'unmapped';
      unmapped.push(header);
    }
  }
  return { mapping, reasons, unmapped };
}

export function isFieldSpec(value: string): value is FieldSpec {
  if (value === 'ignore') return true;
  if (value.startsWith('category:')) return isCategory(value.slice('category:'.length));
  return (identifierFields as readonly string[]).includes(value);
}

/** Import settings a mapping file may carry beside its columns. */
export interface MappingFileOptions {
  /** Compare customer ids case-sensitively (see customer-id-rule.ts). */
  caseSensitiveIds?: boolean;
}

/** Reads `{"columns": …, "caseSensitiveIds": true}`'s settings; throws a message naming a bad one. */
export function parseMappingFileOptions(json: unknown): MappingFileOptions {
  const value = (json as { caseSensitiveIds?: unknown })?.caseSensitiveIds;
  if (value === undefined) return {};
  if (typeof value !== 'boolean') {
    throw new Error(`The mapping file's "caseSensitiveIds" is ${JSON.stringify(value)}: use true or false.`);
  }
  return { caseSensitiveIds: value };
}

/** Validates a mapping file's content; throws a message naming the bad column. */
export function parseMappingFile(json: unknown): Mapping {
  const columns = (json as { columns?: unknown })?.columns;
  if (!columns || typeof columns !== 'object' || Array.isArray(columns)) {
    throw new Error('The mapping file must look like {"columns": {"<header>": "<field>"}}.');
  }
  const mapping: Mapping = {};
  for (const [header, field] of Object.entries(columns as Record<string, unknown>)) {
    if (typeof field !== 'string' || !isFieldSpec(field)) {
      throw new Error(
        `The mapping for column "${header}" is "${String(field)}": use one of ${identifierFields.join(', ')}, category:<id> or ignore.`,
      );
    }
    mapping[header] = field;
  }
  return mapping;
}
