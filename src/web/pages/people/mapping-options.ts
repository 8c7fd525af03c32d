import type { ComboboxData } from '@mantine/core';
import type { IdentifierField } from '../../../shared/contracts/people.ts';
import type { ColumnMapping, FieldSpec } from '../../api/types.ts';
import { categoryFields, fieldLabel, identifierLabels } from './labels.ts';

/**
 * The contract's identifier fields, in its order. Read from the labels (typed as a record over the contract's
 * `IdentifierField`, so none can be missing or extra) rather than from the contract module, whose Zod
 * schemas would add about 35 kB (gzip) to the console for one list of names.
 */
const identifierFields = Object.keys(identifierLabels) as IdentifierField[];

/** What a column can be imported as, grouped the way the mapping file's vocabulary is. */
export const fieldOptions: ComboboxData = [
  {
    group: 'Who they are and how to reach them',
    items: identifierFields.map((field) => ({ value: field, label: fieldLabel(field) })),
  },
  {
    group: 'What leaked (a non-empty value marks the category as exposed)',
    items: categoryFields.map((field) => ({ value: field, label: fieldLabel(field) })),
  },
  { group: 'Neither', items: [{ value: 'ignore', label: fieldLabel('ignore') }] },
];

/** The mapping being edited: null for a column nobody mapped yet (not imported). */
export type DraftMapping = Record<string, FieldSpec | null>;

export function draftFrom(headers: string[], detected: ColumnMapping): DraftMapping {
  return Object.fromEntries(headers.map((header) => [header, detected[header] ?? null]));
}

/** The mapping to send: only the columns that were mapped (the server ignores the others). */
export function mappingToSend(draft: DraftMapping): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const [header, field] of Object.entries(draft)) if (field) mapping[header] = field;
  return mapping;
}

/** The identifiers a row needs at least one of; without any of them mapped, every row is rejected. */
const usableIdentifiers: ReadonlySet<string> = new Set(['email', 'phone', 'customer_id', 'national_id']);

export function hasUsableIdentifier(draft: DraftMapping): boolean {
  return Object.values(draft).some((field) => field !== null && usableIdentifiers.has(field));
}
