import { type Category, categories } from '../../../shared/taxonomy.ts';
import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import { type FieldSpec, type IdentifierField, identifierCategory, type Mapping } from './mapping.ts';
import { normalizeEmail } from './normalize/email.ts';
import { normalizeCountry, normalizeRegion } from './normalize/geography.ts';
import { normalizeCustomerId, normalizeDate, normalizeNationalId } from './normalize/identifiers.ts';
import { normalizePhone } from './normalize/phone.ts';

/**
 * Turns one input row into a source record: normalized identifiers, their blind indexes, the categories
 * exposed, location codes for counting, and the identifiers themselves sealed in one encrypted payload.
 * Values that leaked but are not needed to reach the person (passwords, card numbers) only mark their
 * category; they are never stored.
 */
export const PAYLOAD_CONTEXT = 'source_records.payload';

export interface BuiltRecord {
  customerIdx: Buffer | null;
  nationalIdx: Buffer | null;
  emailIdx: Buffer | null;
  phoneIdx: Buffer | null;
  categories: number;
  country: string | null;
  region: string | null;
  locale: string | null;
  hasEmail: boolean;
  hasPhone: boolean;
  hasPostal: boolean;
  payload: Buffer;
}

export interface RowIssue {
  severity: 'rejected' | 'warning';
  reason: string;
  field: string | null;
}

export type BuildResult = { record: BuiltRecord; warnings: RowIssue[] } | { rejection: RowIssue };

const bit = (c: Category) => 1 << categories.indexOf(c);
const LOCALE = /^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*$/i;

interface CompiledColumn {
  index: number;
  spec: FieldSpec;
}

export interface RecordBuilder {
  build(values: ReadonlyArray<string | undefined>): BuildResult;
}

export function compileMapping(headers: string[], mapping: Mapping): CompiledColumn[] {
  return headers
    .map((header, index) => ({ index, spec: mapping[header] ?? 'ignore' }))
    .filter((c) => c.spec !== 'ignore');
}

export function createRecordBuilder(
  columns: CompiledColumn[],
  crypto: PiiCrypto,
  options: { defaultCountry?: string | null },
): RecordBuilder {
  const identifierColumns = columns.filter((c) => !c.spec.startsWith('category:')) as Array<{
    index: number;
    spec: IdentifierField;
  }>;
  const categoryColumns = columns
    .filter((c) => c.spec.startsWith('category:'))
    .map((c) => ({ index: c.index, mask: bit(c.spec.slice('category:'.length) as Category) }));

  return {
    build(values) {
      let mask = 0;
      for (const c of categoryColumns) {
        const v = values[c.index];
        if (v !== undefined && v.trim() !== '') mask |= c.mask;
      }
      const raw: Partial<Record<IdentifierField, string>> = {};
      for (const c of identifierColumns) {
        const v = values[c.index]?.trim();
        if (!v) continue;
        const category = identifierCategory[c.spec];
        if (category) mask |= bit(category);
        raw[c.spec] ??= v;
      }
      const warnings: RowIssue[] = [];

      const country = raw.country ? normalizeCountry(raw.country) : (options.defaultCountry ?? null);
      if (raw.country && !country)
        warnings.push({ severity: 'warning', reason: 'unknown country', field: 'country' });
      const region = raw.region ? normalizeRegion(raw.region, country) : null;
      if (raw.region && !region)
        warnings.push({ severity: 'warning', reason: 'unknown region', field: 'region' });

      const email = raw.email ? normalizeEmail(raw.email) : null;
      if (raw.email && !email)
        warnings.push({ severity: 'warning', reason: 'malformed email', field: 'email' });
      const phone = raw.phone ? normalizePhone(raw.phone, country) : null;
      if (raw.phone && !phone)
        warnings.push({ severity: 'warning', reason: 'malformed phone', field: 'phone' });
      const customerId = raw.customer_id ? normalizeCustomerId(raw.customer_id) : null;
      const nationalId = raw.national_id ? normalizeNationalId(raw.national_id) : null;
      if (raw.national_id && !nationalId) {
        warnings.push({ severity: 'warning', reason: 'malformed national id', field: 'national_id' });
      }

      if (!email && !phone && !customerId && !nationalId) {
        const hadBadValue = warnings.find((w) => ['email', 'phone', 'national_id'].includes(w.field ?? ''));
        return {
          rejection: {
            severity: 'rejected',
            reason: hadBadValue
              ? `no usable identifier (${hadBadValue.reason}, and no other email, phone, customer id or national id)`
              : 'no usable identifier (needs an email, phone, customer id or national id)',
            field: hadBadValue?.field ?? null,
          },
        };
      }

      const payload: Record<string, string> = {};
      for (const [field, value] of Object.entries(raw)) payload[field] = value;
      if (email) payload.email = email;
      if (phone) payload.phone = phone;
      if (customerId) payload.customer_id = customerId;
      if (nationalId) payload.national_id = nationalId;
      if (raw.date_of_birth) payload.date_of_birth = normalizeDate(raw.date_of_birth);
      const locale = raw.locale && LOCALE.test(raw.locale) ? raw.locale.replace('_', '-') : null;
      const hasPostal = Boolean(raw.address_line1 && (raw.postal_code || raw.city));
      // Where a person lives comes from their record: a country, a region or an address. The import's
      // default country fills in an address's missing country, but never makes a location out of nothing.
      const hasLocation = Boolean(
        raw.country || raw.region || raw.address_line1 || raw.city || raw.postal_code,
      );

      return {
        record: {
          customerIdx: customerId ? crypto.blindIndex('customer_id', customerId) : null,
          nationalIdx: nationalId ? crypto.blindIndex('national_id', nationalId) : null,
          emailIdx: email ? crypto.blindIndex('email', email) : null,
          phoneIdx: phone ? crypto.blindIndex('phone', phone) : null,
          categories: mask,
          country: hasLocation ? country : null,
          region,
          locale,
          hasEmail: email !== null,
          hasPhone: phone !== null,
          hasPostal,
          payload: crypto.encrypt(JSON.stringify(payload), PAYLOAD_CONTEXT),
        },
        warnings,
      };
    },
  };
}
