import type { ImportWarningKind } from '../../../shared/contracts/people.ts';
import { type Category, categories } from '../../../shared/taxonomy.ts';
import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import { type FieldSpec, type IdentifierField, identifierCategory, type Mapping } from './mapping.ts';
import { needsSmtpUtf8, normalizeEmail } from './normalize/email.ts';
import { normalizeCountry, normalizeRegion } from './normalize/geography.ts';
import {
  customerIdKey,
  normalizeCustomerId,
  normalizeDate,
  normalizeNationalId,
} from './normalize/identifiers.ts';
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
  /** The email has a non-ASCII local part: only a relay with SMTPUTF8 takes it. */
  isEmailSmtpUtf8: boolean;
  hasPhone: boolean;
  hasPostal: boolean;
  payload: Buffer;
}

/** Why a row was refused, or what was set aside in a row that was kept (a warning, counted by kind). */
export type RowIssue =
  | { severity: 'rejected'; reason: string; field: string | null }
  | { severity: 'warning'; kind: ImportWarningKind; reason: string; field: string | null };
type Warning = Extract<RowIssue, { severity: 'warning' }>;

export type BuildResult = { record: BuiltRecord; warnings: RowIssue[] } | { rejection: RowIssue };

const bit = (c: Category) => 1 << categories.indexOf(c);
const warning = (kind: ImportWarningKind, reason: string, field: string): Warning => ({
  severity: 'warning',
  kind,
  reason,
  field,
});
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
  options: { defaultCountry?: string | null; caseSensitiveIds?: boolean },
): RecordBuilder {
  const isCaseSensitive = options.caseSensitiveIds === true;
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
      const warnings: Warning[] = [];

      const country = raw.country ? normalizeCountry(raw.country) : (options.defaultCountry ?? null);
      if (raw.country && !country) warnings.push(warning('unknown_country', 'unknown country', 'country'));
      const region = raw.region ? normalizeRegion(raw.region, country) : null;
      if (raw.region && !region) warnings.push(warning('unknown_region', 'unknown region', 'region'));

      const email = raw.email ? normalizeEmail(raw.email) : null;
      if (raw.email && !email) warnings.push(warning('malformed_email', 'malformed email', 'email'));
      const isEmailSmtpUtf8 = email !== null && needsSmtpUtf8(email);
      if (isEmailSmtpUtf8) {
        warnings.push(
          warning(
            'email_needs_smtputf8',
            'email needs SMTPUTF8 (an internationalized address: sent only through a relay that supports it, else the next channel)',
            'email',
          ),
        );
      }
      const phone = raw.phone ? normalizePhone(raw.phone, country) : null;
      if (raw.phone && !phone) warnings.push(warning('malformed_phone', 'malformed phone', 'phone'));
      const customerId = raw.customer_id ? normalizeCustomerId(raw.customer_id) : null;
      const nationalId = raw.national_id ? normalizeNationalId(raw.national_id) : null;
      if (raw.national_id && !nationalId)
        warnings.push(warning('malformed_national_id', 'malformed national id', 'national_id'));

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

      const payload: Record<string, string> = { ...raw };
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
          customerIdx: customerId
            ? crypto.blindIndex('customer_id', customerIdKey(customerId, isCaseSensitive))
            : null,
          nationalIdx: nationalId ? crypto.blindIndex('national_id', nationalId) : null,
          emailIdx: email ? crypto.blindIndex('email', email) : null,
          phoneIdx: phone ? crypto.blindIndex('phone', phone) : null,
          categories: mask,
          country: hasLocation ? country : null,
          region,
          locale,
          hasEmail: email !== null,
          isEmailSmtpUtf8,
          hasPhone: phone !== null,
          hasPostal,
          payload: crypto.encrypt(JSON.stringify(payload), PAYLOAD_CONTEXT),
        },
        warnings,
      };
    },
  };
}
