import type { IdentifierField, ImportWarningKind } from '../../../shared/contracts/people.ts';
import { type Category, categories, categoryLabels, type RiskTier } from '../../../shared/taxonomy.ts';
import type { FieldSpec, ImportSummary } from '../../api/types.ts';

/** Words for the mapping vocabulary. Typed by the contract, so a new field cannot go unlabelled. */
export const identifierLabels: Record<IdentifierField, string> = {
  customer_id: 'Customer ID',
  email: 'Email',
  phone: 'Phone',
  first_name: 'First name',
  last_name: 'Last name',
  full_name: 'Full name',
  address_line1: 'Address line 1',
  address_line2: 'Address line 2',
  city: 'City',
  region: 'Region or state',
  postal_code: 'Postal code',
  country: 'Country',
  locale: 'Language or locale',
  date_of_birth: 'Date of birth',
  national_id: 'National ID (e.g. SSN)',
};

export function fieldLabel(field: FieldSpec | string): string {
  if (field === 'ignore') return 'Ignore this column';
  if (field.startsWith('category:')) {
    const category = field.slice('category:'.length) as Category;
    return `Exposed: ${categoryLabels[category] ?? category}`;
  }
  return identifierLabels[field as IdentifierField] ?? field;
}

export function categoryLabel(category: Category): string {
  return categoryLabels[category] ?? category;
}

/** Every category as a mapping target. */
export const categoryFields = categories.map((category) => `category:${category}` as const);

export const riskTierLabels: Record<RiskTier, string> = { high: 'High', medium: 'Medium', low: 'Low' };
export const riskTierColors: Record<RiskTier, string> = { high: 'red', medium: 'orange', low: 'teal' };

export const reachabilityLabels = {
  email: 'Email',
  phone: 'Phone (SMS)',
  postal: 'Postal mail',
  none: 'Not reachable',
} as const;

/** The identifiers a conflict is about. */
export const conflictFieldLabels = {
  customer_id: 'customer ID',
  national_id: 'national ID',
  email: 'email address',
  phone: 'phone number',
} as const;

export const importStatusLabels: Record<ImportSummary['status'], string> = {
  pending: 'Waiting to start',
  parsing: 'Reading rows',
  resolving: 'Resolving people',
  done: 'Done',
  failed: 'Failed',
  duplicate: 'Already imported',
};

export const importStatusColors: Record<ImportSummary['status'], string> = {
  pending: 'gray',
  parsing: 'blue',
  resolving: 'blue',
  done: 'green',
  failed: 'red',
  duplicate: 'gray',
};

/** A jurisdiction code as shown (the server says "unknown" when no address gave one). */
export function jurisdictionLabel(code: string): string {
  return code === 'unknown' ? 'Unknown' : code;
}

/** Import warnings by kind, as counted on the import (typed by the contract: a new kind needs words). */
export const importWarningLabels: Record<ImportWarningKind, { one: string; many: string }> = {
  literal_quote: { one: 'quote taken literally', many: 'quotes taken literally' },
  email_needs_smtputf8: {
    one: 'email needs an SMTPUTF8 relay',
    many: 'emails need an SMTPUTF8 relay',
  },
  malformed_email: { one: 'malformed email left out', many: 'malformed emails left out' },
  malformed_phone: { one: 'malformed phone left out', many: 'malformed phones left out' },
  malformed_national_id: {
    one: 'malformed national ID left out',
    many: 'malformed national IDs left out',
  },
  unknown_country: { one: 'unknown country', many: 'unknown countries' },
  unknown_region: { one: 'unknown region', many: 'unknown regions' },
  new_key_mapped: { one: 'new JSON key mapped by name', many: 'new JSON keys mapped by name' },
  new_key_unmapped: { one: 'new JSON key not imported', many: 'new JSON keys not imported' },
};
